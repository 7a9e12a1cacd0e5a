"""Outbound translation: each core card becomes Block Kit blocks plus a plain ``text`` fallback.

Everything placed in ``mrkdwn`` or ``text`` is escaped for Slack (``&``, ``<``, ``>``) after the
core has defanged mass mentions, so member text can never become ``<!channel>`` or a link.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from bot.core import cards
from bot.core.model import AnswerTally
from bot.core.render import ANSWER_PREVIEW_CHARS, kind_label, plural, render_text
from bot.core.text import clip, defang_mentions, one_line

Block = dict[str, Any]
MAX_SECTION = 3_000
MAX_HEADER = 150
MAX_TEXT = 39_000
MAX_CONTEXT = 2_000
VOTE_ACTION = "vote"
ANSWER_ACTION = "answer"
_BOLD = re.compile(r"\*\*(.+?)\*\*")


@dataclass(frozen=True)
class SlackMessage:
    """What ``chat.postMessage`` (or an ephemeral reply) gets: ``text`` is the fallback."""

    text: str
    blocks: tuple[Block, ...]

    def fields(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": list(self.blocks)}


def escape(text: str) -> str:
    """Slack's three control characters, escaped; mass mentions defanged first."""
    text = defang_mentions(text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mrkdwn(text: str) -> str:
    """Core text (``**bold**``) as escaped Slack mrkdwn (``*bold*``)."""
    return _BOLD.sub(r"*\1*", escape(text))


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, MAX_SECTION)}}


def header(text: str) -> Block:
    plain = clip(one_line(defang_mentions(text)), MAX_HEADER)
    return {"type": "header", "text": {"type": "plain_text", "text": plain, "emoji": True}}


def context(text: str) -> Block:
    element = {"type": "mrkdwn", "text": clip(text, MAX_CONTEXT)}
    return {"type": "context", "elements": [element]}


def button(label: str, action_id: str, value: str, primary: bool = False) -> Block:
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": label, "emoji": True},
        "action_id": action_id,
        "value": value,
    }
    if primary:
        element["style"] = "primary"
    return element


def fallback(card: cards.Card) -> str:
    return clip(mrkdwn(render_text(card)), MAX_TEXT)


def drill_blocks(card: cards.DrillCard) -> list[Block]:
    drill = card.drill
    facts = [kind_label(drill.kind), f"difficulty {drill.difficulty}/3", ", ".join(drill.tags)]
    if card.requested_by:
        facts.append(f"for {card.requested_by}")
    blocks = [
        header(drill.title),
        context(escape(" · ".join(facts))),
        section(escape(drill.prompt)),
    ]
    blocks.append(context(escape(_how_to_answer(card))))
    if card.mode != "daily":
        answer = button("Answer", ANSWER_ACTION, str(card.round_id), primary=True)
        blocks.append({"type": "actions", "block_id": "drill", "elements": [answer]})
    return blocks


def _how_to_answer(card: cards.DrillCard) -> str:
    closes = card.closes_at.astimezone(ZoneInfo(card.timezone)).strftime("%a %d %b %H:%M")
    if card.mode == "daily":
        return (
            f"Reply in this thread before {closes} ({card.timezone}); "
            "vote with the button under each answer."
        )
    return f"Answer before {closes} ({card.timezone}); you see what strong answers cover once you answer."


def results_blocks(card: cards.ResultsCard) -> list[Block]:
    title = "Thanks for practising" if card.practice else "Results"
    blocks = [header(f"{title}: {card.drill.title}")]
    if not card.practice:
        blocks.append(section(escape(_turnout(card))))
    if card.top:
        lines = [_top_line(place, tally) for place, tally in enumerate(card.top, start=1)]
        blocks.append(section("*Top answers*\n" + "\n".join(lines)))
    blocks.append(
        section("*A strong answer covers*\n" + _bullets(str(point) for point in card.drill.rubric))
    )
    blocks.append(
        section("*Follow-up questions*\n" + _bullets(str(ask) for ask in card.drill.follow_ups))
    )
    return blocks


def _turnout(card: cards.ResultsCard) -> str:
    if not card.answers:
        return "No answers this time; the rubric is below for practice."
    return f"{plural(card.answers, 'answer')}, {plural(card.voters, 'voter')}."


def _top_line(place: int, tally: AnswerTally) -> str:
    preview = clip(one_line(tally.text), ANSWER_PREVIEW_CHARS)
    votes = plural(tally.votes, "vote")
    return f"{place}. *{escape(tally.display_name)}* ({votes}): {escape(preview)}"


def _bullets(items: Iterable[str]) -> str:
    return "\n".join(f"• {escape(item)}" for item in items)


def leaderboard_blocks(card: cards.LeaderboardCard) -> list[Block]:
    if not card.standings:
        return [
            header(card.title),
            section("No points yet. Answer today's drill to get on the board."),
        ]
    lines = [
        f"{place}. *{escape(s.display_name)}*: {plural(s.points, 'point')} · "
        f"{plural(s.answers, 'answer')} · {plural(s.votes, 'vote')} · streak {s.streak}"
        for place, s in enumerate(card.standings, start=1)
    ]
    return [header(card.title), section("\n".join(lines))]


def text_blocks(card: cards.Card) -> list[Block]:
    return [section(mrkdwn(render_text(card)))]


BLOCKS: dict[type[Any], Callable[[Any], list[Block]]] = {
    cards.DrillCard: drill_blocks,
    cards.ResultsCard: results_blocks,
    cards.LeaderboardCard: leaderboard_blocks,
    cards.StreakCard: text_blocks,
    cards.SettingsCard: text_blocks,
    cards.Notice: text_blocks,
    cards.VoteReceipt: text_blocks,
}


def render(card: cards.Card) -> SlackMessage:
    """The card as a Slack message: blocks for the eye, ``text`` for notifications."""
    return SlackMessage(fallback(card), tuple(BLOCKS[type(card)](card)))


def notice(text: str) -> SlackMessage:
    return render(cards.Notice(text))


def vote_prompt(answer_id: int, author: str) -> SlackMessage:
    """The small thread message under a new answer; its button votes for (or un-votes) it."""
    text = f"Answer #{answer_id} by {escape(author)}: vote if you would hire this answer."
    block = section(text)
    block["accessory"] = button("Vote", VOTE_ACTION, str(answer_id))
    return SlackMessage(text, (block,))
