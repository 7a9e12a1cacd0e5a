"""The practice schedule's invariants: weak kinds come back sooner, and no kind starves."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.core import repetition
from bot.core.repetition import MAX_INTERVAL, Practice

START = date(2026, 1, 5)
qualities = st.floats(0.0, 1.0, allow_nan=False)


def history(values: list[float]) -> list[Practice]:
    return [Practice(START + timedelta(days=3 * i), q) for i, q in enumerate(values)]


@given(st.lists(qualities, max_size=20), qualities, qualities)
def test_a_kind_with_falling_coverage_comes_back_sooner(
    earlier: list[float], low: float, high: float
) -> None:
    low, high = sorted((low, high))
    weak = repetition.replay("k", history([*earlier, low]))
    strong = repetition.replay("k", history([*earlier, high]))
    assert weak.due() is not None and strong.due() is not None
    assert weak.due() <= strong.due()


@given(st.lists(qualities, min_size=1, max_size=40))
def test_intervals_stay_between_one_day_and_the_cap(values: list[float]) -> None:
    state = repetition.replay("k", history(values))
    assert 1 <= state.interval <= MAX_INTERVAL
    assert repetition.MIN_EASE <= state.ease <= repetition.MAX_EASE


@given(st.lists(qualities, min_size=1, max_size=5))
def test_a_poor_practice_sends_a_kind_back_to_one_day(values: list[float]) -> None:
    state = repetition.replay("k", history([*values, 0.1]))
    assert state.interval == 1


def test_good_practice_grows_the_interval() -> None:
    intervals = [repetition.replay("k", history([0.9] * n)).interval for n in range(1, 7)]
    assert intervals[:2] == [1, 3]
    assert intervals == sorted(intervals) and intervals[-1] > intervals[2]


def test_a_kind_never_practised_is_picked_first() -> None:
    states = repetition.schedule(["a", "b"], {"a": history([0.9])})
    assert repetition.pick_kind(states, START + timedelta(days=1)).kind == "b"  # type: ignore[union-attr]


@given(
    st.lists(st.sampled_from("abcdef"), min_size=1, max_size=6, unique=True),
    st.lists(qualities, min_size=200, max_size=200),
)
def test_no_kind_starves_when_a_member_practises_every_day(
    kinds: list[str], scores: list[float]
) -> None:
    """Picking every day by the schedule, each kind comes back within the cap plus one day per
    other kind (they can all fall due at once)."""
    done: dict[str, list[Practice]] = {}
    last_seen = dict.fromkeys(kinds, START)
    for offset, quality in enumerate(scores):
        today = START + timedelta(days=offset)
        state = repetition.pick_kind(repetition.schedule(kinds, done), today)
        assert state is not None
        done.setdefault(state.kind, []).append(Practice(today, quality))
        last_seen[state.kind] = today
        for seen in last_seen.values():
            assert (today - seen).days <= MAX_INTERVAL + len(kinds)


def test_due_kinds_lists_the_most_overdue_first() -> None:
    states = repetition.schedule(
        ["a", "b", "c"], {"a": history([0.9]), "b": history([0.9, 0.9, 0.9])}
    )
    today = START + timedelta(days=40)
    assert [s.kind for s in repetition.due_kinds(states, today)] == ["c", "a", "b"]
