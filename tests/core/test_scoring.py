"""Round points, top answers and the leaderboard order."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.model import AnswerTally, Standing
from bot.core.scoring import RoundScore, score_round, top_answers
from tests.support.ranking import rank

T0 = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def tally(answer_id: int, votes: int, minute: int = 0, member_id: int | None = None) -> AnswerTally:
    return AnswerTally(
        answer_id=answer_id,
        member_id=answer_id * 10 if member_id is None else member_id,
        display_name=f"member {answer_id}",
        text=f"answer {answer_id}",
        votes=votes,
        created_at=T0 + timedelta(minutes=minute),
    )


@st.composite
def tallies(draw: st.DrawFn, max_size: int = 12) -> list[AnswerTally]:
    votes = draw(st.lists(st.integers(0, 6), max_size=max_size))
    minutes = draw(st.lists(st.integers(0, 30), min_size=len(votes), max_size=len(votes)))
    return [
        tally(answer_id, v, minute)
        for answer_id, (v, minute) in enumerate(zip(votes, minutes, strict=True), start=1)
    ]


# --- score_round --------------------------------------------------------------------------------


def test_score_round_example() -> None:
    scores = score_round([tally(1, 3), tally(2, 5), tally(3, 5), tally(4, 0)])
    assert [(s.member_id, s.answers, s.votes, s.bonus, s.points) for s in scores] == [
        (10, 1, 3, 0, 5),
        (20, 1, 5, 3, 10),
        (30, 1, 5, 3, 10),
        (40, 1, 0, 0, 2),
    ]


def test_no_bonus_when_nobody_got_a_vote() -> None:
    scores = score_round([tally(1, 0), tally(2, 0)])
    assert [s.bonus for s in scores] == [0, 0]
    assert [s.points for s in scores] == [2, 2]


def test_score_round_of_nothing() -> None:
    assert score_round([]) == []


def test_points_formula() -> None:
    assert RoundScore(member_id=1, answers=2, votes=5, bonus=3).points == 2 * 2 + 5 + 3


@settings(max_examples=300, deadline=None)
@given(tallies())
def test_score_round_properties(answers: list[AnswerTally]) -> None:
    scores = score_round(answers)
    assert len(scores) == len(answers)
    best = max((t.votes for t in answers), default=0)
    tied = [t for t in answers if t.votes == best] if best > 0 else []
    for t, s in zip(answers, scores, strict=True):
        assert (s.member_id, s.answers, s.votes) == (t.member_id, 1, t.votes)
        expected_bonus = 3 if best > 0 and t.votes == best else 0
        assert s.bonus == expected_bonus
        assert s.points == 2 * s.answers + s.votes + s.bonus
    assert sum(s.bonus for s in scores) == 3 * len(tied)
    assert sum(s.points for s in scores) == 2 * len(answers) + sum(
        t.votes for t in answers
    ) + 3 * len(tied)


# --- top_answers --------------------------------------------------------------------------------


def test_top_answers_example() -> None:
    answers = [tally(1, 2, 5), tally(2, 4, 9), tally(3, 4, 1), tally(4, 1, 0), tally(5, 2, 3)]
    assert [t.answer_id for t in top_answers(answers)] == [3, 2, 5]
    assert [t.answer_id for t in top_answers(answers, limit=5)] == [3, 2, 5, 1, 4]
    assert top_answers([]) == []


@settings(max_examples=300, deadline=None)
@given(tallies())
def test_top_answers_properties(answers: list[AnswerTally]) -> None:
    top = top_answers(answers)
    assert len(top) == min(3, len(answers))
    assert len({t.answer_id for t in top}) == len(top)
    # Most votes first, then the earlier answer.
    keys = [(-t.votes, t.created_at) for t in top]
    assert keys == sorted(keys)
    # Nothing left out beats anything shown.
    shown = {t.answer_id for t in top}
    for left_out in (t for t in answers if t.answer_id not in shown):
        for t in top:
            assert (-t.votes, t.created_at) <= (-left_out.votes, left_out.created_at)


@given(tallies(), st.randoms(use_true_random=False))
def test_top_answers_ignore_input_order(answers: list[AnswerTally], rnd: random.Random) -> None:
    shuffled = list(answers)
    rnd.shuffle(shuffled)
    assert top_answers(shuffled, limit=len(answers)) == top_answers(answers, limit=len(answers))


# --- rank ---------------------------------------------------------------------------------------

names = st.sampled_from(["alice", "Alice", "bob", "Bob", "carol", "ÉVA", "éva", "zoë"])


@st.composite
def standings(draw: st.DrawFn) -> list[Standing]:
    count = draw(st.integers(0, 15))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=count, max_size=count, unique=True))
    return [
        Standing(
            member_id=member_id,
            display_name=draw(names),
            points=draw(st.integers(0, 6)),
            answers=draw(st.integers(0, 3)),
            votes=draw(st.integers(0, 3)),
            streak=draw(st.integers(0, 3)),
        )
        for member_id in ids
    ]


def test_rank_example() -> None:
    rows = [
        Standing(1, "zed", 10, 2, 4),
        Standing(2, "amy", 12, 3, 1),
        Standing(3, "Bob", 10, 3, 4),  # same points and votes as zed, more answers
        Standing(4, "bea", 10, 2, 4),  # same as zed but earlier name
        Standing(5, "bea", 10, 2, 4),  # same as 4: member id decides
        Standing(6, "Abe", 10, 2, 5),
    ]
    assert [s.member_id for s in rank(rows)] == [2, 6, 3, 4, 5, 1]
    assert [s.member_id for s in rank(rows, limit=2)] == [2, 6]


def test_rank_names_ignore_case() -> None:
    rows = [
        Standing(1, "bob", 5, 1, 1),
        Standing(2, "Alice", 5, 1, 1),
        Standing(3, "alice", 5, 1, 1),
    ]
    assert [s.member_id for s in rank(rows)] == [2, 3, 1]


def test_rank_default_limit_is_ten() -> None:
    rows = [Standing(n, f"m{n:02d}", 100 - n, 1, 1) for n in range(15)]
    assert [s.member_id for s in rank(rows)] == list(range(10))
    assert len(rank(rows, limit=None)) == 15


@settings(max_examples=300, deadline=None)
@given(standings().flatmap(lambda rows: st.tuples(st.just(rows), st.permutations(rows))))
def test_rank_is_a_total_order_independent_of_input_order(
    pair: tuple[list[Standing], list[Standing]],
) -> None:
    rows, shuffled = pair
    ordered = rank(rows, limit=None)
    assert rank(shuffled, limit=None) == ordered
    assert sorted(ordered, key=lambda s: s.member_id) == sorted(rows, key=lambda s: s.member_id)
    for a, b in pairwise(ordered):
        key_a = (-a.points, -a.votes, -a.answers, a.display_name.casefold(), a.member_id)
        key_b = (-b.points, -b.votes, -b.answers, b.display_name.casefold(), b.member_id)
        assert key_a < key_b  # strictly: no two rows tie
    assert rank(shuffled) == ordered[:10]
