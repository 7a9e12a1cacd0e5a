"""The figures of a member's stats card, and the words that say them.

The picture (``bot.pictures.stats_card``), its alt text and the reply's text are all drawn from
one ``StatsFigures``, so the numbers shown and the numbers said are the same numbers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.core.model import Standing
from bot.core.schedule import week_start

CALENDAR_WEEKS = 26
POINTS_WEEKS = 12


class DayMark(StrEnum):
    ANSWERED = "answered"
    MISSED = "missed"
    REST = "rest"
    HOLIDAY = "holiday"
    NO_DRILL = "no drill"
    OPEN = "open"  # today's drill, not answered yet
    AHEAD = "ahead"  # later this week


@dataclass(frozen=True)
class StatsFigures:
    display_name: str
    current: int
    longest: int
    freezes: int
    first_day: date  # the Monday the calendar starts on
    days: tuple[DayMark, ...]  # CALENDAR_WEEKS * 7 marks, Monday first
    weeks: tuple[tuple[date, int], ...]  # (Monday, points) for the last POINTS_WEEKS weeks
    # (kind label, rubric coverage 0..1, answers assessed), weakest first; empty before any review
    coverage: tuple[tuple[str, float, int], ...] = ()

    def count(self, mark: DayMark) -> int:
        return Counter(self.days)[mark]


def calendar_start(today: date) -> date:
    return week_start(today) - timedelta(weeks=CALENDAR_WEEKS - 1)


def day_marks(
    first: date,
    today: date,
    answered: Collection[date],
    drill_days: Collection[date],
    rest: Collection[date],
    holidays: Collection[date],
) -> tuple[DayMark, ...]:
    """One mark per day from ``first`` for ``CALENDAR_WEEKS`` weeks; answering wins over all."""
    marks = []
    for offset in range(CALENDAR_WEEKS * 7):
        day = first + timedelta(days=offset)
        marks.append(_mark(day, today, answered, drill_days, rest, holidays))
    return tuple(marks)


def _mark(
    day: date,
    today: date,
    answered: Collection[date],
    drill_days: Collection[date],
    rest: Collection[date],
    holidays: Collection[date],
) -> DayMark:
    if day in answered:
        return DayMark.ANSWERED
    if day > today:
        return DayMark.AHEAD
    if day in holidays:
        return DayMark.HOLIDAY
    if day in rest:
        return DayMark.REST
    if day in drill_days:
        return DayMark.OPEN if day == today else DayMark.MISSED
    return DayMark.NO_DRILL


def weekly_points(by_day: Mapping[date, int], today: date) -> tuple[tuple[date, int], ...]:
    """Points per Monday–Sunday week, oldest first, for the last ``POINTS_WEEKS`` weeks."""
    this_week = week_start(today)
    mondays = [this_week - timedelta(weeks=n) for n in range(POINTS_WEEKS - 1, -1, -1)]
    totals = Counter({monday: 0 for monday in mondays})
    for day, points in by_day.items():
        if week_start(day) in totals:
            totals[week_start(day)] += points
    return tuple((monday, totals[monday]) for monday in mondays)


def _days(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def calendar_sentence(figures: StatsFigures) -> str:
    return (
        f"Last {CALENDAR_WEEKS} weeks: {_days(figures.count(DayMark.ANSWERED), 'drill day')} "
        f"answered, {figures.count(DayMark.MISSED)} missed, "
        f"{_days(figures.count(DayMark.REST), 'rest day')}, "
        f"{_days(figures.count(DayMark.HOLIDAY), 'holiday')}."
    )


def points_sentence(figures: StatsFigures) -> str:
    shown = ", ".join(f"{monday:%d %b} {points}" for monday, points in figures.weeks)
    return f"Points per week for the last {POINTS_WEEKS} weeks, oldest first: {shown}."


def streak_sentence(figures: StatsFigures) -> str:
    return (
        f"{figures.display_name}: current streak {_days(figures.current, 'drill day')}, "
        f"longest {figures.longest}, {_days(figures.freezes, 'freeze')} held."
    )


def stats_alt_text(figures: StatsFigures) -> str:
    """What the picture shows, in words, for screen readers."""
    lines = [f"Stats card. {streak_sentence(figures)}", calendar_sentence(figures)]
    return " ".join([*lines, points_sentence(figures), *coverage_sentence(figures)])


def stats_summary(figures: StatsFigures) -> str:
    """The reply's text beside the picture: the same figures, one line each."""
    lines = [streak_sentence(figures), calendar_sentence(figures), points_sentence(figures)]
    return "\n".join([*lines, *coverage_sentence(figures)])


def coverage_sentence(figures: StatsFigures) -> list[str]:
    """Rubric coverage by kind, once the member has reviewed answers (else nothing)."""
    if not figures.coverage:
        return []
    parts = [f"{kind} {share:.0%} ({answers})" for kind, share, answers in figures.coverage]
    return ["Rubric coverage by kind (answers reviewed): " + ", ".join(parts) + "."]


def move_words(move: int | None) -> str:
    if move is None:
        return "new in the top 10"
    if move == 0:
        return "same place as the week before"
    places = "place" if abs(move) == 1 else "places"
    return f"up {move} {places}" if move > 0 else f"down {-move} {places}"


def leaderboard_alt_text(title: str, rows: Sequence[Standing], moves: Sequence[int | None]) -> str:
    """The leaderboard picture in words: every row with its figures and its movement."""
    lines = [f"{title}, top {len(rows)}."]
    for place, (s, move) in enumerate(zip(rows, moves, strict=False), start=1):
        lines.append(
            f"{place}. {s.display_name}: {s.points} points, {s.answers} answers, "
            f"{s.votes} votes, streak {s.streak}, {move_words(move)}."
        )
    return " ".join(lines)
