"""Coverage, level read-out and review points, checked against a plain reference model."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core import coach
from bot.core.coach import Read, ReviewMark
from bot.core.scoring import score_round
from drills import Level, RubricPoint
from tests.core.test_scoring import tally

POINT = "A rubric point long enough to pass the schema."

rubrics = st.lists(
    st.builds(
        RubricPoint,
        point=st.just(POINT),
        level=st.sampled_from(list(Level)),
        weight=st.integers(1, 3),
    ),
    min_size=3,
    max_size=6,
)


def marks_for(count: int) -> st.SearchStrategy[list[ReviewMark]]:
    mark = st.builds(
        ReviewMark,
        reviewer_id=st.integers(1, 50),
        points=st.frozensets(st.integers(1, count)),
        read=st.sampled_from(list(Read)),
        self_assessed=st.booleans(),
    )
    return st.lists(mark, max_size=12)


def reference_covered(marks: list[ReviewMark], count: int) -> set[int]:
    """Written the long way: a point counts when ticked by at least half the counted reviewers."""
    counted = [m for m in marks if not m.self_assessed] or marks
    covered = set()
    for n in range(1, count + 1):
        ticks = len([m for m in counted if n in m.points])
        if counted and 2 * ticks >= len(counted):
            covered.add(n)
    return covered


def reference_read(rubric: list[RubricPoint], covered: set[int]) -> Read:
    def share(level: Level) -> float | None:
        total = sum(p.weight for p in rubric if p.level is level)
        got = sum(p.weight for n, p in enumerate(rubric, 1) if p.level is level and n in covered)
        return got / total if total else None

    senior, staff = share(Level.SENIOR), share(Level.STAFF)
    if (senior if senior is not None else 1.0) * 3 < 2:
        return Read.NOT_YET
    return Read.STAFF if staff is not None and staff * 2 >= 1 else Read.SENIOR


@given(st.data())
def test_coverage_and_read_out_match_the_reference(data: st.DataObject) -> None:
    rubric = data.draw(rubrics)
    marks = data.draw(marks_for(len(rubric)))
    covered = coach.covered_points(marks, len(rubric))
    assert covered == reference_covered(marks, len(rubric))
    readout = coach.readout(rubric, covered)
    assert readout.read is reference_read(rubric, set(covered))
    senior = [n for n, p in enumerate(rubric, 1) if p.level is Level.SENIOR]
    assert readout.senior_covered == len(covered & set(senior))
    assert readout.senior_total + readout.staff_total == len(rubric)


@given(st.data())
def test_shares_are_fractions_of_the_reviewers(data: st.DataObject) -> None:
    rubric = data.draw(rubrics)
    marks = data.draw(marks_for(len(rubric)))
    shares = coach.point_shares(marks, len(rubric))
    assert len(shares) == len(rubric)
    assert all(0.0 <= share <= 1.0 for share in shares)
    if not marks:
        assert shares == [0.0] * len(rubric)


@given(st.lists(st.sampled_from(list(Read)), min_size=1, max_size=15))
def test_the_majority_read_is_a_most_common_read_and_ties_go_down(reads: list[Read]) -> None:
    marks = [ReviewMark(i, frozenset(), read) for i, read in enumerate(reads)]
    majority = coach.majority_read(marks)
    assert majority is not None
    top = max(reads.count(read) for read in Read)
    tied = [read for read in Read if reads.count(read) == top]
    assert majority is min(tied, key=lambda read: read.rank)


def test_self_assessments_never_make_a_majority() -> None:
    assert coach.majority_read([ReviewMark(1, frozenset(), Read.STAFF, self_assessed=True)]) is None


@given(st.integers(0, 40), st.integers(0, 40))
def test_a_review_is_worth_more_than_a_vote_and_review_farming_is_capped(
    received: int, given_: int
) -> None:
    answer = tally(1, 0)  # member 10's answer
    scores = score_round([answer], {answer.answer_id: received}, {10: given_, 2: given_})
    author = scores[0]
    assert author.points == 2 + 2 * received + min(given_, coach.REVIEWS_PAID_PER_ROUND)
    reviewer_only = scores[1:]
    if given_:
        assert [(s.member_id, s.answers) for s in reviewer_only] == [(2, 0)]
        assert reviewer_only[0].points == min(given_, coach.REVIEWS_PAID_PER_ROUND)
    else:
        assert reviewer_only == []
    assert coach.review_points_earned(1) > 1  # one vote is worth 1 point


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1,3", {1, 3}), (" 2 , 2 ", {2}), ("none", set()), ("-", set())],
)
def test_points_parse(text: str, expected: set[int]) -> None:
    assert coach.parse_points(text, 5) == expected


@pytest.mark.parametrize("text", ["0,1", "6", "1,,x", "١", "99999999999999999999", "1.5", ""])
def test_bad_points_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="numbers from 1 to 5"):
        coach.parse_points(text, 5)


@pytest.mark.parametrize(("word", "read"), [("STAFF", Read.STAFF), ("not-yet", Read.NOT_YET)])
def test_reads_parse(word: str, read: Read) -> None:
    assert coach.parse_read(word) is read


def test_a_bad_read_is_refused() -> None:
    with pytest.raises(ValueError, match="staff, senior or not-yet"):
        coach.parse_read("principal")


def test_the_read_out_sentence_names_both_levels() -> None:
    rubric = [RubricPoint(point=POINT), RubricPoint(point=POINT, level=Level.STAFF)] * 2
    readout = coach.readout(rubric, frozenset({1, 3, 4}))
    assert readout.sentence() == (
        "covers 2 of 2 senior points and 1 of 2 staff points: reads staff"
    )
