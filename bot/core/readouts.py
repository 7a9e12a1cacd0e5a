"""What a round's reviews say about each answer, in words: the results' review section and each
author's private summary. Pure: callers pass the drill, the answers and their reviews."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.core import coach
from bot.core.coach import Read, Readout, ReviewMark
from bot.core.model import AnswerTally
from bot.core.text import clip
from drills import Drill

STRONGEST_SHOWN = 2
POINT_LABEL_CHARS = 48


@dataclass(frozen=True)
class Reading:
    """One answer as its peer reviewers read it."""

    tally: AnswerTally
    reviews: int
    shares: tuple[float, ...]
    covered: frozenset[int]
    readout: Readout
    verdict: Read | None
    notes: tuple[str, ...]


def read_answers(
    drill: Drill, tallies: Sequence[AnswerTally], marks: Mapping[int, Sequence[ReviewMark]]
) -> list[Reading]:
    """Every answer that has at least one peer review, by number."""
    count = len(drill.rubric)
    readings = []
    for tally in sorted(tallies, key=lambda t: t.number):
        peer = coach.peers(marks.get(tally.answer_id, ()))
        if not peer:
            continue
        covered = coach.covered_points(peer, count)
        notes = tuple(m.note for m in peer if m.note)
        shares = tuple(coach.point_shares(peer, count))
        readout = coach.readout(drill.rubric, covered)
        verdict = coach.majority_read(peer)
        readings.append(Reading(tally, len(peer), shares, covered, readout, verdict, notes))
    return readings


def strength(reading: Reading) -> tuple[int, int, int]:
    return (reading.readout.read.rank, len(reading.covered), reading.reviews)


def review_lines(
    drill: Drill, readings: Sequence[Reading], reviewers: Mapping[int, Sequence[str]]
) -> tuple[str, ...]:
    """The results' review section: a legend of the points, then one line per reviewed answer.

    ``reviewers`` (answer id to "Name: 1,3 senior" lines) is empty unless the channel shows them.
    """
    if not readings:
        return ()
    legend = "; ".join(
        f"{n} {clip(p.point, POINT_LABEL_CHARS)}" for n, p in enumerate(drill.rubric, start=1)
    )
    lines = [f"Points by number: {legend}"]
    for reading in readings:
        lines.append(_answer_line(reading))
        shown = reviewers.get(reading.tally.answer_id, ())
        if shown:
            lines.append(f"Reviewers of answer {reading.tally.number}: " + "; ".join(shown))
    return tuple(lines)


def _answer_line(reading: Reading) -> str:
    tally = reading.tally
    head = f"Answer {tally.number} by {tally.display_name}, {_reviews(reading.reviews)}"
    ticked = ", ".join(
        f"{n} ({share:.0%})" for n, share in enumerate(reading.shares, start=1) if share
    )
    parts = [f"{head}: {reading.readout.sentence()}", f"points ticked {ticked or 'none'}"]
    if reading.verdict is not None:
        parts.append(f"reviewers' verdict {reading.verdict.value}")
    if reading.notes:
        parts.append("notes: " + " / ".join(f"“{note}”" for note in reading.notes[:3]))
    return "; ".join(parts) + "."


def _reviews(count: int) -> str:
    return f"{count} review" if count == 1 else f"{count} reviews"


def author_summary(drill: Drill, mine: Reading, readings: Sequence[Reading], day: str) -> str:
    """What an author learns privately: their coverage, and what the strongest answers had."""
    text = (
        f"Reviews of your {day} answer ({_reviews(mine.reviews)}): {mine.readout.sentence()}"
        + (f"; verdict {mine.verdict.value}" if mine.verdict else "")
        + "."
    )
    missed = sorted(strongest_coverage(readings, mine) - mine.covered)
    if missed:
        labels = "; ".join(f"{n} {clip(drill.rubric[n - 1].point, 60)}" for n in missed)
        text += f" The strongest answers also covered: {labels}."
    return text


def strongest_coverage(readings: Sequence[Reading], mine: Reading) -> frozenset[int]:
    others = sorted((r for r in readings if r is not mine), key=strength, reverse=True)
    covered: frozenset[int] = frozenset()
    for reading in others[:STRONGEST_SHOWN]:
        covered |= reading.covered
    return covered


def reviewer_line(name: str, mark: ReviewMark) -> str:
    points = ",".join(str(n) for n in sorted(mark.points)) or "none"
    return f"{name}: {points} {mark.read.value}"
