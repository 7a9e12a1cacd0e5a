"""The figures of ``admin stats`` (the last 8 weeks of a channel) and the words that say them;
the chart (``bot.pictures.chart``), its alt text and the text summary all come from one
``ChannelStats``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

WEEKS = 8


@dataclass(frozen=True)
class RoundTurnout:
    day: date
    kind: str
    answered: int  # members who answered on time
    first_answer: timedelta | None  # from the post to the first on-time answer


@dataclass(frozen=True)
class ChannelStats:
    first: date
    last: date
    active: int  # members who answered any daily round in the window
    rounds: tuple[RoundTurnout, ...]
    kinds: tuple[tuple[str, int], ...]  # most covered first
    tags: tuple[tuple[str, int], ...]
    median_length: int | None  # characters
    median_first_answer: timedelta | None

    def share(self, turnout: RoundTurnout) -> float:
        return turnout.answered / self.active if self.active else 0.0


def median(values: list[timedelta]) -> timedelta | None:
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def ranked(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def duration_words(span: timedelta | None) -> str:
    if span is None:
        return "no answers yet"
    minutes = round(span.total_seconds() / 60)
    hours, rest = divmod(minutes, 60)
    return f"{hours}h{rest:02d}m" if hours else f"{rest} min"


def _participation(stats: ChannelStats) -> str:
    if not stats.rounds:
        return "No daily drills were posted."
    answered = sum(r.answered for r in stats.rounds)
    average = answered / len(stats.rounds)
    return (
        f"{len(stats.rounds)} daily drills; on average {average:.1f} of {stats.active} active "
        f"members answered each ({average / stats.active if stats.active else 0:.0%})."
    )


def _listing(pairs: tuple[tuple[str, int], ...], limit: int = 8) -> str:
    shown = ", ".join(f"{name} {count}" for name, count in pairs[:limit])
    more = f" and {len(pairs) - limit} more" if len(pairs) > limit else ""
    return (shown + more) or "none"


def stats_summary(stats: ChannelStats) -> str:
    """The short text beside the chart (and what ``drillbot stats`` prints first)."""
    length = f"{stats.median_length} characters" if stats.median_length is not None else "none"
    return "\n".join(
        [
            f"Drill channel stats, {stats.first:%d %b}–{stats.last:%d %b} (last {WEEKS} weeks):",
            _participation(stats),
            f"Kinds covered: {_listing(stats.kinds)}.",
            f"Tags covered: {_listing(stats.tags)}.",
            f"Median answer length: {length}.",
            f"Median time to first answer: {duration_words(stats.median_first_answer)}.",
        ]
    )


def round_lines(stats: ChannelStats) -> list[str]:
    """One line per round: date, kind, answered / active."""
    return [
        f"{r.day:%a %d %b}  {r.kind:<26} {r.answered}/{stats.active} answered,"
        f" first answer {duration_words(r.first_answer)}"
        for r in stats.rounds
    ]


def stats_alt_text(stats: ChannelStats) -> str:
    """The chart in words: each round's share of active members, then the summary."""
    bars = "; ".join(f"{r.day:%d %b} {r.answered} of {stats.active}" for r in stats.rounds)
    chart = f"Chart of members answering each daily drill: {bars or 'no drills'}."
    return f"{chart} {stats_summary(stats)}".replace("\n", " ")
