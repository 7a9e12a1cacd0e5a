"""Streak rules: consecutive *drill days* answered, protected by earned freezes.

A drill day is a local date on which the channel's daily drill was posted. Days with no drill
(days off the schedule, skipped, paused or holiday dates) do not exist for a streak, so they never
break one; nor do a member's rest days. A member earns one freeze for every 7 consecutive drill
days answered and holds at most 2. Each missed drill day spends one freeze; more missed days than
freezes held end the streak (and spend them all).

The rules are pure: callers count the missed drill days from the calendar (``missed_between``).
Every change is also returned as ``Change`` entries, the streak's audit log; ``replay`` rebuilds
the state from that log alone.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

FREEZE_EVERY = 7
MAX_FREEZES = 2


@dataclass(frozen=True)
class StreakState:
    current: int = 0
    longest: int = 0
    freezes: int = 0
    last_day: date | None = None  # the last drill day answered


class ChangeKind(StrEnum):
    ANSWERED = "answered"
    FREEZE_EARNED = "freeze-earned"
    FREEZE_SPENT = "freeze-spent"
    RESET = "reset"  # the streak ended: more drill days missed than freezes held
    REST = "rest"  # a rest day taken (neither breaks nor extends the streak)
    REPAIRED = "repaired"  # an admin set the streak after an outage


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    day: date
    count: int = 1  # freezes spent, or the streak an admin repaired to


def missed_between(
    drill_days: Iterable[date], rest: Collection[date], after: date | None, before: date
) -> int:
    """Drill days strictly between ``after`` and ``before`` that were not rest days."""
    if after is None:
        return 0
    return sum(1 for day in drill_days if after < day < before and day not in rest)


def record_day(state: StreakState, day: date, missed: int) -> tuple[StreakState, list[Change]]:
    """The state after the member answered drill day ``day``, having missed ``missed`` before it.

    An earlier or repeated day changes nothing (a late answer to an older drill after a newer one).
    """
    if state.last_day is not None and day <= state.last_day:
        return state, []
    changes = []
    if missed > state.freezes:
        changes.append(Change(ChangeKind.RESET, day, state.current))
        state = StreakState(0, state.longest, 0, None)
    elif missed:
        changes.append(Change(ChangeKind.FREEZE_SPENT, day, missed))
        state = replace(state, freezes=state.freezes - missed)
    return _grow(state, day, changes)


def _grow(state: StreakState, day: date, changes: list[Change]) -> tuple[StreakState, list[Change]]:
    current = state.current + 1
    changes.append(Change(ChangeKind.ANSWERED, day))
    freezes = state.freezes
    if current % FREEZE_EVERY == 0 and freezes < MAX_FREEZES:
        freezes += 1
        changes.append(Change(ChangeKind.FREEZE_EARNED, day))
    return StreakState(current, max(state.longest, current), freezes, day), changes


def repair(state: StreakState, days: int, day: date) -> tuple[StreakState, list[Change]]:
    """An admin sets the streak to ``days`` as of drill day ``day`` (after an outage, say)."""
    repaired = StreakState(days, max(state.longest, days), state.freezes, day)
    return repaired, [Change(ChangeKind.REPAIRED, day, days)]


def replay(changes: Iterable[Change]) -> StreakState:
    """The state the log describes, applied in order: the audit check of the kept state."""
    state = StreakState()
    for change in changes:
        state = _apply(state, change)
    return state


def _apply(state: StreakState, change: Change) -> StreakState:
    match change.kind:
        case ChangeKind.ANSWERED:
            current = state.current + 1
            return StreakState(current, max(state.longest, current), state.freezes, change.day)
        case ChangeKind.FREEZE_EARNED:
            return replace(state, freezes=state.freezes + 1)
        case ChangeKind.FREEZE_SPENT:
            return replace(state, freezes=state.freezes - change.count)
        case ChangeKind.RESET:
            return StreakState(0, state.longest, 0, None)
        case ChangeKind.REST:
            return state
        case ChangeKind.REPAIRED:
            days = change.count
            return StreakState(days, max(state.longest, days), state.freezes, change.day)


def current_as_of(state: StreakState, missed: int) -> int:
    """The streak as a member sees it today, ``missed`` drill days after their last answer."""
    if state.last_day is None:
        return 0
    return state.current if missed <= state.freezes else 0


def freezes_as_of(state: StreakState, missed: int) -> int:
    """Freezes still held today, after those the drill days missed so far would spend."""
    if state.last_day is None:
        return state.freezes
    return state.freezes - missed if missed <= state.freezes else 0
