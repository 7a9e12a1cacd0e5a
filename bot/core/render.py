"""Plain-text rendering of cards: the console's output and the fallback text on every platform.

The sentences come from ``bot.core.wording``; member text is defanged here so no rendering can
echo a mass mention.
"""

from __future__ import annotations

from dataclasses import replace
from typing import assert_never
from zoneinfo import ZoneInfo

from bot.core import cards, wording
from bot.core.model import WEEKDAYS, AnswerTally, ChannelSettings
from bot.core.text import clip, defang_mentions, one_line

ANSWER_PREVIEW_CHARS = 280


def drill_text(card: cards.DrillCard) -> str:
    drill = card.drill
    who = f" (for {defang_mentions(card.requested_by)})" if card.requested_by else ""
    # Custom drills are written by members, so their text is defanged like any member text.
    lines = [f"**{defang_mentions(drill.title)}**{who}", wording.drill_meta(drill), ""]
    lines += [defang_mentions(drill.prompt), ""]
    notes = wording.drill_notes(drill)
    lines += [*notes, ""] if notes else []
    closes, reveal = wording.closing_time(card), wording.reveal_time(card)
    lines.append(wording.how_to_answer(card.mode, closes, reveal=reveal))
    return "\n".join(lines)


def results_text(card: cards.ResultsCard) -> str:
    title = wording.results_title(defang_mentions(card.drill.title), card.on_demand)
    lines = [f"**{title}**"]
    lines += [""] if card.on_demand else [wording.turnout(card.answers, card.voters), ""]
    if card.top:
        lines.append(f"{wording.TOP_ANSWERS}:")
        lines += [_top_line(place, tally) for place, tally in enumerate(card.top, start=1)]
        named = [replace(t, display_name=defang_mentions(t.display_name)) for t in card.others]
        others = wording.others_line(named)
        lines += [others] if others else []
        lines.append("")
    for section in wording.results_sections(card):
        lines += [f"{section.heading}:", *_items(section), ""]
    return "\n".join(lines).rstrip()


def _top_line(place: int, tally: AnswerTally) -> str:
    preview = clip(one_line(defang_mentions(tally.text)), ANSWER_PREVIEW_CHARS)
    return f"{place}. {wording.answer_name(tally, defang_mentions(tally.display_name))}: {preview}"


def _items(section: wording.Section) -> list[str]:
    items = [defang_mentions(item) for item in section.items]
    return [f"- {item}" for item in items] if section.bulleted else items


def leaderboard_text(card: cards.LeaderboardCard) -> str:
    lines = [f"**{card.title}**"]
    if not card.standings:
        lines.append(wording.EMPTY_LEADERBOARD)
    for place, s in enumerate(card.standings, start=1):
        lines.append(f"{place}. {defang_mentions(s.display_name)}: {wording.standing_stats(s)}")
    return "\n".join(lines)


def streak_text(card: cards.StreakCard) -> str:
    return (
        f"{defang_mentions(card.display_name)}: streak {wording.plural(card.current, 'day')} "
        f"(longest {card.longest}), {wording.plural(card.freezes, 'freeze')} held, "
        f"{wording.plural(card.points_this_week, 'point')} this week."
    )


def settings_text(card: cards.SettingsCard) -> str:
    s = card.settings
    zone = ZoneInfo(s.timezone)
    lines = [
        f"Post time: {s.post_time:%H:%M} {s.timezone}, on {days_text(s.days)}",
        f"Kinds: {', '.join(s.kinds) if s.kinds else 'all'} ({card.drills_in_rotation} drills)",
        f"Answer window: {_duration(s)}",
        f"Weekly leaderboard: {WEEKDAYS[s.weekly_day]} {s.weekly_time:%H:%M}",
        f"Minimum answer: {s.min_answer_chars} characters (shorter ones earn nothing)",
        _blind_line(s),
        f"Reviewers in results: {'named' if s.show_reviewers else 'not named (shares only)'}",
        f"Paused: {'yes' if s.paused else 'no'}",
    ]
    if card.holidays:
        shown = ", ".join(f"{day:%a %d %b}" for day in card.holidays[:12])
        more = f" and {len(card.holidays) - 12} more" if len(card.holidays) > 12 else ""
        lines.append(f"Holidays: {shown}{more}")
    if card.next_post_at and not s.paused:
        lines.append(f"Next drill: {card.next_post_at.astimezone(zone):%a %d %b %H:%M}")
    return "\n".join(lines)


def _blind_line(settings: ChannelSettings) -> str:
    if not settings.blind:
        return "Blind answers: off"
    minutes = int(settings.review_window.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    window = f"{hours}h{rest:02d}m" if rest else f"{hours}h"
    return f"Blind answers: on, then {window} to vote and review"


def days_text(days: frozenset[int]) -> str:
    if len(days) == 7:
        return "every day"
    return ",".join(WEEKDAYS[day] for day in sorted(days))


def _duration(settings: ChannelSettings) -> str:
    minutes = int(settings.answer_window.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    return f"{hours}h{rest:02d}m" if rest else f"{hours}h"


def ballot_text(card: cards.BallotCard) -> str:
    head = wording.ballot(card.number or card.answer_id, defang_mentions(card.author_name))
    return head if card.text is None else f"{head}\n{defang_mentions(card.text)}"


def render_text(card: cards.Card) -> str:
    match card:
        case cards.DrillCard():
            return drill_text(card)
        case cards.ResultsCard():
            return results_text(card)
        case cards.LeaderboardCard():
            return leaderboard_text(card)
        case cards.StreakCard():
            return streak_text(card)
        case cards.SettingsCard():
            return settings_text(card)
        case cards.Notice() | cards.VoteReceipt():
            return card.text
        case cards.BallotCard():
            return ballot_text(card)
        case cards.FileCard():
            return card.summary_text
        case _:
            assert_never(card)
