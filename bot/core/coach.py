"""Rubric reviews: what an answer covered, how it reads, and what reviews are worth.

Pure rules over plain values. A review ticks rubric points by number (1-based, in the drill's
order) and gives a read. An answer covers a point when at least half of its peer reviewers ticked
it; self-assessments (on-demand drills) count only when no peer reviewed the answer, at half
weight in the profile.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from drills import Level, RubricPoint

REVIEW_POINTS = 2  # a review received is worth twice a vote: it took reading against the rubric
REVIEWER_POINTS = 1  # for the reviewer, per review given ...
REVIEWS_PAID_PER_ROUND = 3  # ... for at most this many reviews per round (no review farming)
SELF_WEIGHT = 0.5  # a self-assessment counts half as much as a peer's in the profile
SENIOR_BAR = 2 / 3  # share of the senior-level weight an answer must cover to read senior
STAFF_BAR = 1 / 2  # ... and of the staff-level weight, on top, to read staff
NOTE_CHARS = 200


class Read(StrEnum):
    """A reviewer's verdict, lowest first."""

    NOT_YET = "not yet"
    SENIOR = "senior"
    STAFF = "staff"

    @property
    def rank(self) -> int:
        return list(Read).index(self)


READ_WORDS = {
    "staff": Read.STAFF,
    "senior": Read.SENIOR,
    "not-yet": Read.NOT_YET,
    "notyet": Read.NOT_YET,
    "not_yet": Read.NOT_YET,
    "no": Read.NOT_YET,
}


def parse_read(word: str) -> Read:
    read = READ_WORDS.get(word.strip().lower())
    if read is None:
        raise ValueError("The read must be staff, senior or not-yet.")
    return read


def parse_points(text: str, count: int) -> frozenset[int]:
    """``1,3,4`` (or ``none``) into point numbers, each between 1 and ``count``."""
    text = text.strip().lower()
    if text in {"none", "-", "0"}:
        return frozenset()
    numbers = set()
    for part in text.replace(" ", "").split(","):
        if not (part.isascii() and part.isdigit()) or not 1 <= int(part[:4]) <= count:
            raise ValueError(f"Points are numbers from 1 to {count}, like 1,3 (or none).")
        numbers.add(int(part))
    return frozenset(numbers)


@dataclass(frozen=True)
class ReviewMark:
    """One review as the rules see it."""

    reviewer_id: int
    points: frozenset[int]
    read: Read
    note: str | None = None
    self_assessed: bool = False


@dataclass(frozen=True)
class Readout:
    senior_covered: int
    senior_total: int
    staff_covered: int
    staff_total: int
    read: Read

    def sentence(self) -> str:
        staff = (
            f" and {self.staff_covered} of {self.staff_total} staff points"
            if self.staff_total
            else ""
        )
        return (
            f"covers {self.senior_covered} of {self.senior_total} senior points{staff}: "
            f"reads {self.read.value}"
        )


def peers(marks: Iterable[ReviewMark]) -> list[ReviewMark]:
    return [mark for mark in marks if not mark.self_assessed]


def point_shares(marks: Sequence[ReviewMark], count: int) -> list[float]:
    """For each rubric point, the share of peer reviewers who ticked it (0 with no reviewers)."""
    counted = peers(marks) or list(marks)
    if not counted:
        return [0.0] * count
    ticks = Counter(n for mark in counted for n in mark.points)
    return [ticks[n] / len(counted) for n in range(1, count + 1)]


def covered_points(marks: Sequence[ReviewMark], count: int) -> frozenset[int]:
    """Points at least half of the reviewers ticked."""
    shares = point_shares(marks, count)
    return frozenset(n for n, share in enumerate(shares, start=1) if marks and share >= 0.5)


@dataclass(frozen=True)
class Coverage:
    """What an answer's reviews add up to, as ``answer_coverage`` keeps it."""

    covered: frozenset[int]
    reviewers: int  # peer reviewers; 0 when only the author's self-review counts
    majority: Read | None


def summarise(marks: Sequence[ReviewMark]) -> Coverage | None:
    """None when the answer has no review at all."""
    if not marks:
        return None
    top = max((n for mark in marks for n in mark.points), default=0)
    return Coverage(covered_points(marks, top), len(peers(marks)), majority_read(marks))


def readout(rubric: Sequence[RubricPoint], covered: frozenset[int]) -> Readout:
    """The level an answer reads at, from the weight of the senior and staff points it covers."""
    senior = [n for n, p in enumerate(rubric, start=1) if p.level is Level.SENIOR]
    staff = [n for n, p in enumerate(rubric, start=1) if p.level is Level.STAFF]
    senior_share = _weighted_share(rubric, senior, covered)
    staff_share = _weighted_share(rubric, staff, covered)
    read = Read.NOT_YET
    if senior_share >= SENIOR_BAR:
        read = Read.STAFF if staff and staff_share >= STAFF_BAR else Read.SENIOR
    return Readout(
        len(covered & set(senior)), len(senior), len(covered & set(staff)), len(staff), read
    )


def _weighted_share(
    rubric: Sequence[RubricPoint], numbers: Sequence[int], covered: frozenset[int]
) -> float:
    total = sum(rubric[n - 1].weight for n in numbers)
    if not total:
        return 1.0
    return sum(rubric[n - 1].weight for n in numbers if n in covered) / total


def majority_read(marks: Sequence[ReviewMark]) -> Read | None:
    """The read most peer reviewers gave; a tie goes to the lower read (no benefit of the doubt)."""
    counts = Counter(mark.read for mark in peers(marks))
    if not counts:
        return None
    return max(counts, key=lambda read: (counts[read], -read.rank))


def review_points_earned(reviews_received: int) -> int:
    return REVIEW_POINTS * reviews_received


def reviewer_points_earned(reviews_given: int) -> int:
    return REVIEWER_POINTS * min(reviews_given, REVIEWS_PAID_PER_ROUND)
