"""Streak rules: consecutive local days with an answer, protected by earned freezes.

A member earns one freeze for every 7 consecutive answered days and holds at most 2. Each missed
day spends one freeze; a gap longer than the freezes held resets the streak and spends them all.
Updated incrementally, one answered day at a time, never by replaying history.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

FREEZE_EVERY = 7
MAX_FREEZES = 2


@dataclass(frozen=True)
class StreakState:
    current: int = 0
    longest: int = 0
    freezes: int = 0
    last_day: date | None = None


def record_day(state: StreakState, day: date) -> StreakState:
    """The state after the member answered on local ``day``; earlier days change nothing."""
    if state.last_day is not None and day <= state.last_day:
        return state
    missed = 0 if state.last_day is None else (day - state.last_day).days - 1
    if missed > state.freezes:
        return _grow(StreakState(0, state.longest, 0, None), day)
    return _grow(replace(state, freezes=state.freezes - missed), day)


def _grow(state: StreakState, day: date) -> StreakState:
    current = state.current + 1
    earned = 1 if current % FREEZE_EVERY == 0 else 0
    freezes = min(MAX_FREEZES, state.freezes + earned)
    return StreakState(current, max(state.longest, current), freezes, day)


def current_as_of(state: StreakState, today: date) -> int:
    """The streak as a member would see it today: a gap the freezes cannot cover shows 0."""
    if state.last_day is None:
        return 0
    missed = (today - state.last_day).days - 1
    return state.current if missed <= state.freezes else 0


def freezes_as_of(state: StreakState, today: date) -> int:
    """Freezes still held today, after those the days missed so far would spend."""
    if state.last_day is None:
        return state.freezes
    missed = max(0, (today - state.last_day).days - 1)
    return state.freezes - missed if missed <= state.freezes else 0
