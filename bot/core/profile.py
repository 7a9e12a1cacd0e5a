"""A member's skill profile from their reviewed answers: pure figures, no storage.

An answer's coverage is the rubric weight it covered (``coach.covered_points``). Peer reviews
decide it when there are any; otherwise the member's self-review does, counted at
``coach.SELF_WEIGHT`` in every average. Answers nobody assessed are practice without a figure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from bot.core import coach
from bot.core.coach import Read
from bot.core.repetition import PASS, Practice
from drills import Drill, Level

RECENT = timedelta(weeks=8)
TREND = timedelta(weeks=4)
WEAKEST_SHOWN = 3


class Assessed(NamedTuple):  # a tuple: made once per answer of a long history
    """One answer's coverage: overall and per level (None: the drill has no point at that level)."""

    day: date
    kind: str
    tags: tuple[str, ...]
    coverage: float
    senior: float | None
    staff: float | None
    weight: float  # 1 for peer-reviewed, SELF_WEIGHT for self-assessed


@dataclass(frozen=True)
class Figure:
    """A weighted mean coverage over some answers."""

    mean: float
    answers: int


def assess(drill: Drill, day: date, covered: frozenset[int], reviewers: int) -> Assessed:
    """An answer's coverage: ``reviewers`` peers decided it, or (0) the author's self-review."""
    overall, senior, staff = _shares(rubric_weights(drill), covered)
    return Assessed(
        day,
        drill.kind,
        drill.tags,
        overall or 0.0,
        senior,
        staff,
        1.0 if reviewers else coach.SELF_WEIGHT,
    )


Weights = tuple[tuple[Level, int], ...]


def rubric_weights(drill: Drill) -> Weights:
    return tuple((point.level, point.weight) for point in drill.rubric)


@lru_cache(maxsize=4096)
def _shares(weights: Weights, covered: frozenset[int]) -> tuple[float | None, ...]:
    """Overall, senior and staff shares: a long history repeats the same drills and tick sets."""
    return tuple(_share(weights, covered, level) for level in (None, Level.SENIOR, Level.STAFF))


def _share(weights: Weights, covered: frozenset[int], level: Level | None) -> float | None:
    """The share of the rubric's weight (at ``level``, or all) covered; None with no such point."""
    total = got = 0
    for n, (at, weight) in enumerate(weights, start=1):
        if level is None or at is level:
            total += weight
            got += weight if n in covered else 0
    return got / total if total else None


def mean(items: Iterable[tuple[float, float]]) -> Figure | None:
    """The weighted mean of (value, weight) pairs."""
    pairs = list(items)
    total = sum(weight for _, weight in pairs)
    if not pairs or not total:
        return None
    return Figure(sum(value * weight for value, weight in pairs) / total, len(pairs))


def by_kind(assessed: Sequence[Assessed], since: date | None = None) -> dict[str, Figure]:
    groups: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for a in assessed:
        if since is None or a.day >= since:
            groups[a.kind].append((a.coverage, a.weight))
    return {kind: figure for kind, pairs in groups.items() if (figure := mean(pairs))}


def by_tag(assessed: Sequence[Assessed], since: date | None = None) -> dict[str, Figure]:
    groups: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for a in assessed:
        if since is None or a.day >= since:
            for tag in a.tags:
                groups[tag].append((a.coverage, a.weight))
    return {tag: figure for tag, pairs in groups.items() if (figure := mean(pairs))}


def weakest(figures: Mapping[str, Figure], count: int = WEAKEST_SHOWN) -> list[str]:
    return sorted(figures, key=lambda name: (figures[name].mean, name))[:count]


def level_figure(
    assessed: Sequence[Assessed], level: Level, first: date, last: date
) -> Figure | None:
    """Coverage of one level's points over answers from ``first`` up to, not including, ``last``."""
    return mean(
        (value, a.weight)
        for a in assessed
        if first <= a.day < last and (value := _at_level(a, level)) is not None
    )


def _at_level(assessed: Assessed, level: Level) -> float | None:
    return assessed.senior if level is Level.SENIOR else assessed.staff


def calibration(given: Sequence[tuple[Read, Read | None, int]]) -> Figure | None:
    """How often the member's read matched the majority of the answer's peer reviewers (answers
    with at least two peer reviews): ``given`` holds (their read, the majority, peer count)."""
    return mean(
        (1.0 if read == majority else 0.0, 1.0) for read, majority, peers in given if peers >= 2
    )


def practices(answered: Iterable[tuple[str, date, Assessed | None]]) -> dict[str, list[Practice]]:
    """The schedule's input: one practice per answer, by kind; unassessed answers count as a
    pass (the member practised; nobody said how well)."""
    found: dict[str, list[Practice]] = defaultdict(list)
    for kind, day, assessed in answered:
        found[kind].append(Practice(day, assessed.coverage if assessed else PASS))
    return dict(found)
