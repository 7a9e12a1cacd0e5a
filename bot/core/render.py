"""Plain-text rendering of cards: the console's output and the fallback text on every platform.

Member text is defanged here so no rendering can echo a mass mention.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from bot.core import cards
from bot.core.model import WEEKDAYS, ChannelSettings
from bot.core.text import clip, defang_mentions, one_line

ANSWER_PREVIEW_CHARS = 280
KIND_LABELS = {
    "live-debugging": "Live debugging",
    "migration-review": "Migration review",
    "validate-after-shipping": "Validate after shipping",
    "evaluate-proposal": "Evaluate a proposal",
    "senior-vs-staff": "Senior vs staff",
    "design-warmup": "Design warm-up",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("-", " ").capitalize())


def drill_text(card: cards.DrillCard) -> str:
    drill = card.drill
    closes = card.closes_at.astimezone(ZoneInfo(card.timezone)).strftime("%a %d %b %H:%M")
    header = f"{kind_label(drill.kind)} · difficulty {drill.difficulty}/3 · {', '.join(drill.tags)}"
    who = f" (for {defang_mentions(card.requested_by)})" if card.requested_by else ""
    if card.mode == "daily":
        how = f"Answer in this thread before {closes} ({card.timezone}), then vote for the answers you would hire."
    else:
        how = f"Answer here before {closes} ({card.timezone}); what strong answers cover is shown once you answer."
    # Custom drills are written by members, so their text is defanged like any member text.
    title, prompt = defang_mentions(drill.title), defang_mentions(drill.prompt)
    return f"**{title}**{who}\n{header}\n\n{prompt}\n\n{how}"


def results_text(card: cards.ResultsCard) -> str:
    if card.practice:
        lines = [f"**Thanks for practising: {card.drill.title}**", ""]
    else:
        lines = [f"**Results: {card.drill.title}**", _turnout(card), ""]
    if card.top:
        lines.append("Top answers:")
        for place, tally in enumerate(card.top, start=1):
            preview = clip(one_line(defang_mentions(tally.text)), ANSWER_PREVIEW_CHARS)
            lines.append(
                f"{place}. {defang_mentions(tally.display_name)} ({_votes(tally.votes)}): {preview}"
            )
        lines.append("")
    lines.append("A strong answer covers:")
    lines.extend(f"- {point}" for point in card.drill.rubric)
    lines.append("")
    lines.append("Follow-up questions:")
    lines.extend(f"- {question}" for question in card.drill.follow_ups)
    return "\n".join(lines)


def _turnout(card: cards.ResultsCard) -> str:
    if not card.answers:
        return "No answers this time; the rubric is below for practice."
    return f"{plural(card.answers, 'answer')}, {plural(card.voters, 'voter')}."


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _votes(count: int) -> str:
    return plural(count, "vote")


def leaderboard_text(card: cards.LeaderboardCard) -> str:
    lines = [f"**{card.title}**"]
    if not card.standings:
        lines.append("No points yet. Answer today's drill to get on the board.")
    for place, s in enumerate(card.standings, start=1):
        lines.append(
            f"{place}. {defang_mentions(s.display_name)}: {plural(s.points, 'point')} · "
            f"{plural(s.answers, 'answer')} · {_votes(s.votes)} · streak {s.streak}"
        )
    return "\n".join(lines)


def streak_text(card: cards.StreakCard) -> str:
    return (
        f"{defang_mentions(card.display_name)}: streak {plural(card.current, 'day')} "
        f"(longest {card.longest}), {plural(card.freezes, 'freeze')} held, "
        f"{plural(card.points_this_week, 'point')} this week."
    )


def settings_text(card: cards.SettingsCard) -> str:
    s = card.settings
    zone = ZoneInfo(s.timezone)
    lines = [
        f"Post time: {s.post_time:%H:%M} {s.timezone}, on {days_text(s.days)}",
        f"Kinds: {', '.join(s.kinds) if s.kinds else 'all'} ({card.drills_in_rotation} drills)",
        f"Answer window: {_duration(s)}",
        f"Weekly leaderboard: {WEEKDAYS[s.weekly_day]} {s.weekly_time:%H:%M}",
        f"Paused: {'yes' if s.paused else 'no'}",
    ]
    if card.next_post_at and not s.paused:
        lines.append(f"Next drill: {card.next_post_at.astimezone(zone):%a %d %b %H:%M}")
    return "\n".join(lines)


def days_text(days: frozenset[int]) -> str:
    if len(days) == 7:
        return "every day"
    return ",".join(WEEKDAYS[day] for day in sorted(days))


def _duration(settings: ChannelSettings) -> str:
    minutes = int(settings.answer_window.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    return f"{hours}h{rest:02d}m" if rest else f"{hours}h"


RENDERERS: dict[type[Any], Callable[[Any], str]] = {
    cards.DrillCard: drill_text,
    cards.ResultsCard: results_text,
    cards.LeaderboardCard: leaderboard_text,
    cards.StreakCard: streak_text,
    cards.SettingsCard: settings_text,
    cards.Notice: lambda card: card.text,
    cards.VoteReceipt: lambda card: card.text,
}


def render_text(card: cards.Card) -> str:
    return RENDERERS[type(card)](card)
