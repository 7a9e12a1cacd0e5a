"""Outbound translation: each core card becomes Block Kit blocks plus a plain ``text`` fallback,
with one ``match`` over the card types; the sentences come from ``bot.core.wording``.

Everything placed in ``mrkdwn`` or ``text`` is escaped for Slack (``&``, ``<``, ``>``) after the
core has defanged mass mentions, so member text can never become ``<!channel>`` or a link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, assert_never

from bot.core import cards, wording
from bot.core.model import AnswerTally
from bot.core.ports import AdminAlert
from bot.core.render import ANSWER_PREVIEW_CHARS, render_text
from bot.core.text import clip, defang_mentions, one_line

Block = dict[str, Any]
MAX_SECTION = 3_000
MAX_HEADER = 150
MAX_TEXT = 39_000
MAX_CONTEXT = 2_000
VOTE_ACTION = "vote"
REVIEW_ACTION = "review"
BALLOT_BLOCK = "ballot"
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
    meta = wording.drill_meta(drill)
    if card.requested_by:
        meta += f" · for {card.requested_by}"
    blocks = [header(drill.title), context(escape(meta)), section(escape(drill.prompt))]
    blocks += [context(escape(note)) for note in wording.drill_notes(drill)]
    blind = card.answers_close_at is not None
    way_in = wording.IN_THREAD if card.mode == "daily" and not blind else wording.BY_BUTTON
    closes, reveal = wording.closing_time(card), wording.reveal_time(card)
    blocks.append(context(escape(wording.how_to_answer(card.mode, closes, way_in, reveal))))
    if card.mode != "daily" or blind:
        answer = button("Answer", ANSWER_ACTION, str(card.round_id), primary=True)
        blocks.append({"type": "actions", "block_id": "drill", "elements": [answer]})
    return blocks


def results_blocks(card: cards.ResultsCard) -> list[Block]:
    blocks = [header(wording.results_title(card.drill.title, card.on_demand))]
    if not card.on_demand:
        blocks.append(section(escape(wording.turnout(card.answers, card.voters))))
    if card.top:
        lines = [_top_line(place, tally) for place, tally in enumerate(card.top, start=1)]
        others = wording.others_line([_escaped(t) for t in card.others])
        lines += [others] if others else []
        blocks.append(section(f"*{wording.TOP_ANSWERS}*\n" + "\n".join(lines)))
    for part in wording.results_sections(card):
        items = [escape(item) for item in part.items]
        body = "\n".join(f"• {item}" for item in items) if part.bulleted else items[0]
        blocks.append(section(f"*{part.heading}*\n{body}"))
    return blocks


def _top_line(place: int, tally: AnswerTally) -> str:
    preview = clip(one_line(tally.text), ANSWER_PREVIEW_CHARS)
    named = wording.answer_name(tally, f"*{escape(tally.display_name)}*")
    return f"{place}. {named}: {escape(preview)}"


def _escaped(tally: AnswerTally) -> AnswerTally:
    return replace(tally, display_name=escape(tally.display_name))


def leaderboard_blocks(card: cards.LeaderboardCard) -> list[Block]:
    if not card.standings:
        return [header(card.title), section(wording.EMPTY_LEADERBOARD)]
    lines = [
        f"{place}. *{escape(s.display_name)}*: {wording.standing_stats(s)}"
        for place, s in enumerate(card.standings, start=1)
    ]
    return [header(card.title), section("\n".join(lines))]


def text_blocks(card: cards.Card) -> list[Block]:
    return [section(mrkdwn(render_text(card)))]


def ballot_blocks(card: cards.BallotCard) -> list[Block]:
    """The small thread message under a new answer: Vote (again to un-vote) and Review. A blind
    drill's ballot also shows the answer, in as many sections as its length needs."""
    head, actions = vote_prompt(card.answer_id, card.author_name, card.number).blocks
    pieces = escaped_pieces(escape(card.text or ""), MAX_SECTION)
    return [head, *(section(piece) for piece in pieces), actions]


def escaped_pieces(escaped: str, size: int) -> list[str]:
    """Escaped text in pieces of at most ``size`` characters, none cut inside an entity: it is cut
    after escaping, as escaping lengthens it (an answer of 16,000 ``&`` is 80,000 characters)."""
    pieces = []
    while escaped:
        cut = min(size, len(escaped))
        entity = escaped.rfind("&", max(0, cut - 4), cut)
        if cut < len(escaped) and entity > 0 and ";" not in escaped[entity:cut]:
            cut = entity
        pieces.append(escaped[:cut])
        escaped = escaped[cut:]
    return pieces


def card_blocks(card: cards.Card) -> list[Block]:
    match card:
        case cards.DrillCard():
            return drill_blocks(card)
        case cards.ResultsCard():
            return results_blocks(card)
        case cards.LeaderboardCard():
            return leaderboard_blocks(card)
        case cards.StreakCard() | cards.SettingsCard() | cards.Notice() | cards.VoteReceipt():
            return text_blocks(card)
        case cards.BallotCard():
            return ballot_blocks(card)
        case cards.FileCard():
            # The file itself is uploaded beside the message (``files_upload_v2``).
            return [section(escape(card.summary_text))]
        case _:
            assert_never(card)


def render(card: cards.Card) -> SlackMessage:
    """The card as a Slack message: blocks for the eye, ``text`` for notifications."""
    return SlackMessage(fallback(card), tuple(card_blocks(card)))


def with_notes(message: SlackMessage, notes: tuple[str, ...]) -> SlackMessage:
    """The member's news (a freeze spent, points earned) under the reply, as context lines."""
    if not notes:
        return message
    text = "\n".join([message.text, *notes])
    return SlackMessage(text, (*message.blocks, *(context(escape(note)) for note in notes)))


def notice(text: str) -> SlackMessage:
    return render(cards.Notice(text))


def vote_prompt(answer_id: int, author: str, number: int = 0) -> SlackMessage:
    """The small thread message under a new answer: its Vote button votes for (or un-votes) it,
    its Review button opens the rubric form; both carry the answer id."""
    text = wording.ballot(number or answer_id, escape(author))
    value = str(answer_id)
    buttons = [button("Vote", VOTE_ACTION, value), button("Review", REVIEW_ACTION, value)]
    actions = {"type": "actions", "block_id": BALLOT_BLOCK, "elements": buttons}
    return SlackMessage(text, (section(text), actions))


def admin_alert(alert: AdminAlert) -> SlackMessage:
    """The DM that tells an admin what keeps Drillbot from posting in a channel, and the fix."""
    where = f"<#{alert.channel_ref}>"
    head = f":warning: *Drillbot cannot post in {where}* ({escape(alert.problem)})"
    body = f"To fix it: {escape(alert.fix)}\nDrillbot keeps trying every few hours until then."
    text = (
        f"Drillbot cannot post in {where} ({escape(alert.problem)}). To fix it: {escape(alert.fix)}"
    )
    return SlackMessage(clip(text, MAX_TEXT), (section(head), section(body)))
