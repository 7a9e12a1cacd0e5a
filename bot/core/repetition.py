"""What a member should practise next: an SM-2-like schedule per drill kind.

Each practice of a kind has a quality between 0 and 1: the rubric coverage reviewers (or, on an
on-demand drill, the member) gave the answer. A good practice (quality at least ``PASS``) lengthens
the kind's interval: 1 day, then 3, then the last interval times the kind's ease. A poor one sends
the kind back to 1 day and lowers its ease. Intervals never exceed ``MAX_INTERVAL`` days, so no kind
is left out for long; a kind never practised is due at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

PASS = 0.6
FIRST_INTERVAL = 1
SECOND_INTERVAL = 3
MAX_INTERVAL = 30
START_EASE = 2.5
MIN_EASE = 1.3
MAX_EASE = 3.0


class Practice(NamedTuple):  # a tuple: made once per answer of a long history
    day: date
    quality: float  # rubric coverage, 0..1


@dataclass(frozen=True)
class KindState:
    kind: str
    practised: int
    interval: int  # days
    ease: float
    last: date | None
    mean_quality: float | None

    def due(self) -> date | None:
        """None: never practised, so due now."""
        return None if self.last is None else self.last + timedelta(days=self.interval)

    def overdue_days(self, today: date) -> int:
        due = self.due()
        return 10_000 if due is None else (today - due).days


def _next_ease(ease: float, quality: float) -> float:
    grade = 5 * quality  # SM-2 grades answers 0..5
    change = 0.1 - (5 - grade) * (0.08 + (5 - grade) * 0.02)
    return min(MAX_EASE, max(MIN_EASE, ease + change))


def replay(kind: str, practices: Iterable[Practice]) -> KindState:
    """The kind's schedule after its practices, oldest first."""
    interval, ease, streak, last, qualities = 0, START_EASE, 0, None, []
    for practice in sorted(practices, key=lambda p: p.day):
        quality = min(1.0, max(0.0, practice.quality))
        qualities.append(quality)
        if quality >= PASS:
            streak += 1
            interval = _grown(interval, ease, streak)
        else:
            streak, interval = 0, FIRST_INTERVAL
        ease = _next_ease(ease, quality)
        last = practice.day
    mean = sum(qualities) / len(qualities) if qualities else None
    return KindState(kind, len(qualities), interval, ease, last, mean)


def _grown(interval: int, ease: float, streak: int) -> int:
    if streak == 1:
        return FIRST_INTERVAL
    if streak == 2:
        return SECOND_INTERVAL
    return min(MAX_INTERVAL, max(interval + 1, round(interval * ease)))


def schedule(kinds: Sequence[str], practices: Mapping[str, Sequence[Practice]]) -> list[KindState]:
    return [replay(kind, practices.get(kind, ())) for kind in kinds]


def pick_kind(states: Sequence[KindState], today: date) -> KindState | None:
    """The most overdue kind; among equals the weakest, then the one practised least."""
    if not states:
        return None
    return max(
        states,
        key=lambda s: (
            s.overdue_days(today),
            -(s.mean_quality if s.mean_quality is not None else 0.0),
            -s.practised,
            s.kind,
        ),
    )


def due_kinds(states: Sequence[KindState], today: date) -> list[KindState]:
    """Kinds due today or before, most overdue first."""
    due = [s for s in states if s.overdue_days(today) >= 0]
    return sorted(due, key=lambda s: (-s.overdue_days(today), s.kind))
