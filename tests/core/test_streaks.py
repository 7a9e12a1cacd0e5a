"""Streaks over drill days: the incremental rules against a day-by-day reference model with random
schedules, skips, pauses, holidays, rest days and answer patterns; the audit log replays."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.streaks import (
    FREEZE_EVERY,
    MAX_FREEZES,
    Change,
    ChangeKind,
    StreakState,
    current_as_of,
    freezes_as_of,
    missed_between,
    record_day,
    repair,
    replay,
)

START = date(2026, 3, 2)  # a Monday
DAY = timedelta(days=1)


class Reference:
    """The rules walked one calendar day at a time: only drill days that were not rest days count."""

    def __init__(self) -> None:
        self.current = self.longest = self.freezes = 0

    def answered(self) -> None:
        self.current += 1
        self.longest = max(self.longest, self.current)
        if self.current % FREEZE_EVERY == 0:
            self.freezes = min(MAX_FREEZES, self.freezes + 1)

    def missed(self) -> None:
        if self.freezes:
            self.freezes -= 1
        else:
            self.current = self.freezes = 0


@dataclass(frozen=True)
class Month:
    """Thirty days of a channel and one member."""

    drill_days: list[date]  # scheduled, posted, not skipped, paused or a holiday
    answered: set[date]
    rest: set[date]


@st.composite
def months(draw: st.DrawFn) -> Month:
    weekdays = draw(st.sets(st.integers(0, 6), min_size=1))
    days = [START + n * DAY for n in range(30)]
    off = draw(st.sets(st.sampled_from(days), max_size=8))  # skips, pauses, holidays
    drill_days = [d for d in days if d.weekday() in weekdays and d not in off]
    answered = draw(st.sets(st.sampled_from(drill_days), max_size=30)) if drill_days else set()
    rest = draw(st.sets(st.sampled_from(days), max_size=6)) - answered
    return Month(drill_days, answered, rest)


def incremental(month: Month) -> tuple[StreakState, list[Change]]:
    state, log = StreakState(), []
    for day in sorted(month.answered):
        missed = missed_between(month.drill_days, month.rest, state.last_day, day)
        state, changes = record_day(state, day, missed)
        log += changes
    return state, log


def reference(month: Month, until: date) -> Reference:
    model, started = Reference(), False
    for day in month.drill_days:
        if day >= until:
            break
        started = started or day in month.answered
        if not started or day in month.rest:
            continue
        model.answered() if day in month.answered else model.missed()
    return model


@settings(max_examples=400, deadline=None)
@given(months())
def test_drill_day_streaks_match_the_day_by_day_model(month: Month) -> None:
    state, log = incremental(month)
    end = START + 31 * DAY  # every drill day of the month is in the past
    model = reference(month, end)
    missed = missed_between(month.drill_days, month.rest, state.last_day, end)
    assert current_as_of(state, missed) == model.current
    assert freezes_as_of(state, missed) == model.freezes
    assert state.longest == model.longest
    assert replay(log) == state  # the audit log rebuilds the kept state


@settings(max_examples=200, deadline=None)
@given(st.sets(st.integers(0, 6), min_size=1), st.sets(st.integers(0, 59), max_size=10))
def test_answering_every_drill_never_loses_a_streak(weekdays: set[int], off: set[int]) -> None:
    days = [START + n * DAY for n in range(60)]
    drill_days = [d for n, d in enumerate(days) if d.weekday() in weekdays and n not in off]
    state, _ = incremental(Month(drill_days, set(drill_days), set()))
    assert state.current == len(drill_days)


def test_a_weekday_channel_keeps_its_streak_over_the_weekend() -> None:
    weekdays = [START + n * DAY for n in range(14) if (START + n * DAY).weekday() < 5]
    state, _ = incremental(Month(weekdays, set(weekdays), set()))
    monday = START + 14 * DAY
    assert current_as_of(state, missed_between(weekdays, (), state.last_day, monday)) == 10
    assert state.freezes == 1  # earned on the seventh drill day, though that was a Tuesday


def test_a_missed_drill_day_spends_a_freeze_and_says_so() -> None:
    days = [START + n * DAY for n in range(9)]
    state, _ = incremental(Month(days[:7], set(days[:7]), set()))
    state, changes = record_day(state, days[8], missed=1)
    assert [c.kind for c in changes] == [ChangeKind.FREEZE_SPENT, ChangeKind.ANSWERED]
    assert (state.current, state.freezes) == (8, 0)
    state, changes = record_day(state, days[8] + 3 * DAY, missed=2)
    assert changes[0] == Change(ChangeKind.RESET, days[8] + 3 * DAY, 8)
    assert (state.current, state.longest) == (1, 8)


def test_rest_days_neither_break_nor_extend() -> None:
    days = [START + n * DAY for n in range(5)]
    month = Month(days, {days[0], days[4]}, {days[1], days[2], days[3]})
    state, _ = incremental(month)
    assert (state.current, state.freezes) == (2, 0)


def test_a_repair_is_logged_and_replayed() -> None:
    state, log = incremental(Month([START], {START}, set()))
    repaired, changes = repair(state, 12, START + DAY)
    assert (repaired.current, repaired.longest) == (12, 12)
    assert replay(log + changes) == repaired


def test_an_earlier_or_repeated_day_changes_nothing() -> None:
    state, _ = record_day(StreakState(), START + DAY, 0)
    assert record_day(state, START, 0) == (state, [])
    assert record_day(state, START + DAY, 0) == (state, [])
