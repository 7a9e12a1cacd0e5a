"""Streaks: the incremental rules against a day-by-day reference model, and local-day edges."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.schedule import local_date
from bot.core.streaks import (
    FREEZE_EVERY,
    MAX_FREEZES,
    StreakState,
    current_as_of,
    freezes_as_of,
    record_day,
)

DAY = timedelta(days=1)
START = date(2026, 3, 2)


def record_all(days: Iterable[date], state: StreakState | None = None) -> StreakState:
    state = state or StreakState()
    for day in days:
        state = record_day(state, day)
    return state


def consecutive(first: date, count: int) -> list[date]:
    return [first + n * DAY for n in range(count)]


class Reference:
    """The rules walked one calendar day at a time, answered or not."""

    def __init__(self) -> None:
        self.current = 0
        self.longest = 0
        self.freezes = 0

    def answered(self) -> None:
        self.current += 1
        self.longest = max(self.longest, self.current)
        if self.current % 7 == 0:
            self.freezes = min(2, self.freezes + 1)

    def missed(self) -> None:
        if self.freezes > 0:
            self.freezes -= 1
        else:
            self.current = 0
            self.freezes = 0

    def walk(self, answers: set[date], first: date, last: date) -> None:
        day = first
        while day <= last:
            if day in answers:
                self.answered()
            else:
                self.missed()
            day += DAY


def reference_for(days: list[date]) -> Reference:
    model = Reference()
    if days:
        model.walk(set(days), min(days), max(days))
    return model


# Gaps between answers: 0 answers twice on one day, 1 is the next day, 2 misses one day...
gaps = st.lists(st.sampled_from([0, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4, 6]), min_size=1, max_size=60)


def days_from(gap_list: list[int], first: date = START) -> list[date]:
    days = [first]
    for gap in gap_list[1:]:
        days.append(days[-1] + gap * DAY)
    return days


@settings(max_examples=400, deadline=None)
@given(gaps)
def test_record_day_matches_reference_model(gap_list: list[int]) -> None:
    days = days_from(gap_list)
    state = record_all(days)
    model = reference_for(days)
    assert (state.current, state.longest, state.freezes) == (
        model.current,
        model.longest,
        model.freezes,
    )
    assert state.last_day == days[-1]
    assert 0 <= state.freezes <= MAX_FREEZES
    assert 1 <= state.current <= state.longest


@settings(max_examples=300, deadline=None)
@given(gaps, st.integers(0, 8))
def test_as_of_matches_reference_model(gap_list: list[int], wait: int) -> None:
    days = days_from(gap_list)
    state = record_all(days)
    today = days[-1] + wait * DAY
    # Days strictly between the last answer and today are missed; today is still open.
    model = reference_for(days)
    for _ in range(max(0, wait - 1)):
        model.missed()
    assert current_as_of(state, today) == model.current
    assert freezes_as_of(state, today) == model.freezes
    if wait > 0:
        # Answering today continues exactly what the member was shown.
        after = record_day(state, today)
        assert after.current == current_as_of(state, today) + 1
        earned = 1 if after.current % FREEZE_EVERY == 0 else 0
        assert after.freezes == min(MAX_FREEZES, freezes_as_of(state, today) + earned)


def test_as_of_for_a_new_member() -> None:
    assert current_as_of(StreakState(), START) == 0
    assert freezes_as_of(StreakState(), START) == 0


def test_as_of_on_the_last_answered_day_and_the_next() -> None:
    state = record_all(consecutive(START, 3))
    assert current_as_of(state, START + 2 * DAY) == 3
    assert current_as_of(state, START + 3 * DAY) == 3  # today is not missed yet
    assert current_as_of(state, START + 4 * DAY) == 0  # yesterday was missed, no freeze
    assert freezes_as_of(state, START + 4 * DAY) == 0


# --- hand-written examples ----------------------------------------------------------------------


def test_first_answer_starts_a_streak() -> None:
    state = record_day(StreakState(), START)
    assert state == StreakState(current=1, longest=1, freezes=0, last_day=START)


def test_seven_days_earn_a_freeze() -> None:
    six = record_all(consecutive(START, 6))
    assert (six.current, six.freezes) == (6, 0)
    seven = record_day(six, START + 6 * DAY)
    assert (seven.current, seven.longest, seven.freezes) == (7, 7, 1)


def test_one_day_gap_with_a_freeze_keeps_the_streak() -> None:
    state = record_all(consecutive(START, 7))
    after_gap = record_day(state, START + 8 * DAY)  # day 8 (START + 7) missed
    assert (after_gap.current, after_gap.longest, after_gap.freezes) == (8, 8, 0)


def test_one_day_gap_without_a_freeze_resets() -> None:
    state = record_all(consecutive(START, 6))
    after_gap = record_day(state, START + 7 * DAY)
    assert (after_gap.current, after_gap.longest, after_gap.freezes) == (1, 6, 0)


def test_two_day_gap_with_one_freeze_resets_and_loses_the_freeze() -> None:
    state = record_all(consecutive(START, 7))
    assert state.freezes == 1
    after_gap = record_day(state, START + 9 * DAY)  # START+7 and START+8 missed
    assert (after_gap.current, after_gap.longest, after_gap.freezes) == (1, 7, 0)


def test_two_day_gap_with_two_freezes_keeps_the_streak() -> None:
    state = record_all(consecutive(START, 14))
    assert state.freezes == 2
    after_gap = record_day(state, START + 16 * DAY)
    assert (after_gap.current, after_gap.freezes) == (15, 0)


def test_three_day_gap_with_two_freezes_resets() -> None:
    state = record_all(consecutive(START, 14))
    after_gap = record_day(state, START + 17 * DAY)
    assert (after_gap.current, after_gap.longest, after_gap.freezes) == (1, 14, 0)


def test_at_most_two_freezes() -> None:
    state = record_all(consecutive(START, 28))
    assert (state.current, state.freezes) == (28, MAX_FREEZES)
    assert MAX_FREEZES == 2


def test_frozen_days_do_not_count_but_the_streak_goes_on() -> None:
    state = record_all(consecutive(START, 7))
    state = record_all(consecutive(START + 8 * DAY, 6), state)  # one frozen day
    assert (state.current, state.freezes) == (13, 0)
    state = record_day(state, START + 14 * DAY)
    assert (state.current, state.freezes) == (14, 1)  # 14 answered days earn the next


def test_answering_twice_the_same_day_counts_once() -> None:
    once = record_all(consecutive(START, 3))
    twice = record_day(once, START + 2 * DAY)
    assert twice == once
    assert twice.current == 3


def test_an_earlier_day_changes_nothing() -> None:
    state = record_all(consecutive(START + 5 * DAY, 3))
    assert record_day(state, START) == state
    assert record_day(state, START + 6 * DAY) == state


def test_longest_survives_a_reset() -> None:
    state = record_all(consecutive(START, 10))
    state = record_all(consecutive(START + 20 * DAY, 3), state)
    assert (state.current, state.longest) == (3, 10)


# --- local days across midnight -----------------------------------------------------------------


def at_local(zone: str, year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    """An answer instant, given in local wall time, as the UTC the platforms report."""
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone)).astimezone(UTC)


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Tongatapu", "Pacific/Pago_Pago"])
def test_consecutive_local_days_extend_the_streak_on_one_utc_date(zone: str) -> None:
    late = at_local(zone, 2026, 3, 10, 23, 30)
    early = at_local(zone, 2026, 3, 11, 0, 30)
    assert late.date() == early.date()  # one UTC date...
    days = [local_date(late, ZoneInfo(zone)), local_date(early, ZoneInfo(zone))]
    assert days == [date(2026, 3, 10), date(2026, 3, 11)]  # ...two local days
    state = record_all(days)
    assert (state.current, state.last_day) == (2, date(2026, 3, 11))
    # Counting by UTC date would have recorded a single day.
    assert record_all([late.date(), early.date()]).current == 1


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Tongatapu", "Pacific/Pago_Pago"])
def test_one_local_day_counts_once_across_two_utc_dates(zone: str) -> None:
    early = at_local(zone, 2026, 3, 10, 0, 30)
    late = at_local(zone, 2026, 3, 10, 23, 30)
    assert early.date() != late.date()
    state = record_all([local_date(early, ZoneInfo(zone)), local_date(late, ZoneInfo(zone))])
    assert (state.current, state.last_day) == (1, date(2026, 3, 10))


@pytest.mark.parametrize(
    ("zone", "first", "second"),
    [
        # Late on 10 March, early on 12 March (local): 11 March was missed, yet the UTC
        # dates are consecutive (10/11 March east of UTC, 11/12 March in Pago Pago).
        ("Pacific/Kiritimati", (2026, 3, 10, 23, 30), (2026, 3, 12, 0, 30)),
        ("Pacific/Tongatapu", (2026, 3, 10, 23, 30), (2026, 3, 12, 0, 30)),
        ("Pacific/Pago_Pago", (2026, 3, 10, 23, 30), (2026, 3, 12, 0, 30)),
    ],
)
def test_consecutive_utc_dates_with_a_missed_local_day_reset(
    zone: str, first: tuple[int, int, int, int, int], second: tuple[int, int, int, int, int]
) -> None:
    a, b = at_local(zone, *first), at_local(zone, *second)
    assert b.date() - a.date() == DAY  # by UTC the streak would continue...
    tz = ZoneInfo(zone)
    assert local_date(b, tz) - local_date(a, tz) == 2 * DAY  # ...but a local day was missed
    state = record_all([local_date(a, tz), local_date(b, tz)])
    assert (state.current, state.longest) == (1, 1)
    assert record_all([a.date(), b.date()]).current == 2


def test_a_week_of_late_evening_answers_in_pago_pago_earns_a_freeze() -> None:
    zone = ZoneInfo("Pacific/Pago_Pago")
    instants = [at_local("Pacific/Pago_Pago", 2026, 3, 2 + n, 23, 30) for n in range(7)]
    assert all(i.date() == date(2026, 3, 3 + n) for n, i in enumerate(instants))
    state = record_all(local_date(i, zone) for i in instants)
    assert (state.current, state.freezes, state.last_day) == (7, 1, date(2026, 3, 8))
