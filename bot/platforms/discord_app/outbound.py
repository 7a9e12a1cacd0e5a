"""Core cards into Discord messages: one ``match`` over the card types, card -> message parts.

Sentences come from ``bot.core.wording`` and plain text from ``bot.core.render``; everything a
member wrote (names, answers) is shown as plain text (``escape.plain``), and every message is
sent with ``AllowedMentions.none()``.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace
from typing import Any, assert_never

import discord
from discord.utils import format_dt

from bot.core import render, wording
from bot.core.cards import (
    BallotCard,
    Card,
    DrillCard,
    FileCard,
    LeaderboardCard,
    Notice,
    ResultsCard,
    SettingsCard,
    StreakCard,
    VoteReceipt,
)
from bot.core.model import AnswerTally
from bot.core.text import clip, defang_mentions, one_line
from bot.platforms.discord_app.components import AnswerButton, VoteButton, buttons
from bot.platforms.discord_app.escape import plain
from bot.platforms.discord_app.refs import jump_url
from bot.platforms.discord_app.review_components import ReviewButton

COLOUR = discord.Colour(0x3B82F6)
CONTENT_CHARS, TITLE_CHARS, DESCRIPTION_CHARS, FIELD_CHARS = 2000, 256, 4096, 1024
MAX_FIELDS, EMBED_TOTAL_CHARS = 25, 6000
ALT_TEXT_CHARS = 1024  # an attachment's description
_LIST_LINE = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s")


@dataclass(frozen=True)
class Where:
    """What a card needs to know about where it lands."""

    guild_id: int = 0
    thread_id: int | None = None  # the round's thread, for jump links to answers
    answers_in_thread: bool = True  # False without the Message Content intent


@dataclass(frozen=True)
class Outgoing:
    content: str | None = None
    embed: discord.Embed | None = None
    view: discord.ui.View | None = None
    file: FileCard | None = None  # sent as an attachment, its alt text as the description

    def kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``send`` / ``send_message`` / ``followup.send``."""
        parts: dict[str, Any] = {"allowed_mentions": discord.AllowedMentions.none()}
        if self.content is not None:
            parts["content"] = self.content
        if self.embed is not None:
            parts["embed"] = self.embed
        if self.view is not None:
            parts["view"] = self.view
        if self.file is not None:
            parts["file"] = attachment(self.file)
        return parts

    def with_notes(self, notes: tuple[str, ...]) -> Outgoing:
        """The member's news (a freeze spent, points earned) above the reply itself."""
        if not notes:
            return self
        lines = [*notes, self.content] if self.content else list(notes)
        return replace(self, content=clip("\n".join(lines), CONTENT_CHARS))

    def sent(self) -> None:
        """Release the view once sent: its buttons are dynamic items, dispatched by custom_id, so
        the object is not needed (discord.py would keep an ephemeral one for 15 minutes)."""
        if self.view is not None:
            self.view.stop()


def reflow(text: str) -> str:
    """Drill prompts are wrapped at ~100 columns in the bank; Discord wraps by itself, so single
    line breaks inside a paragraph become spaces (paragraphs and list lines stay)."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(_join_lines(paragraph) for paragraph in paragraphs)


def _join_lines(paragraph: str) -> str:
    lines = paragraph.splitlines()
    if any(_LIST_LINE.match(line) for line in lines):
        return paragraph
    return " ".join(line.strip() for line in lines)


def name(text: str) -> str:
    """A member's display name as plain text."""
    return plain(text)


def attachment(card: FileCard) -> discord.File:
    """A fresh ``discord.File`` each time (one is consumed by the send that uploads it)."""
    description = clip(card.alt_text, ALT_TEXT_CHARS)
    return discord.File(io.BytesIO(card.data), filename=card.filename, description=description)


def file_message(card: FileCard) -> Outgoing:
    return Outgoing(content=clip(card.summary_text, CONTENT_CHARS), file=card)


def text_only(text: str) -> Outgoing:
    return Outgoing(content=clip(text, CONTENT_CHARS))


def drill_message(card: DrillCard, where: Where) -> Outgoing:
    drill = card.drill
    closes = f"{format_dt(card.closes_at, 'f')} ({format_dt(card.closes_at, 'R')})"
    at = card.answers_close_at
    reveal = f"{format_dt(at, 'f')} ({format_dt(at, 'R')})" if at else None
    how = wording.how_to_answer(card.mode, closes, _way_in(card, where), reveal)
    parts = [reflow(defang_mentions(drill.prompt)), "\n".join(wording.drill_notes(drill)), how]
    embed = discord.Embed(
        title=clip(defang_mentions(drill.title), TITLE_CHARS),
        description=clip("\n\n".join(part for part in parts if part), DESCRIPTION_CHARS),
        colour=COLOUR,
    )
    embed.set_footer(text=wording.drill_meta(drill))
    if card.requested_by:
        embed.set_author(name=clip(f"For {defang_mentions(card.requested_by)}", TITLE_CHARS))
    return Outgoing(embed=embed, view=buttons(AnswerButton(card.round_id)))


def _way_in(card: DrillCard, where: Where) -> str:
    if card.mode != "daily" or not where.answers_in_thread:
        return wording.BY_BUTTON
    return wording.IN_THREAD_OR_BUTTON


def results_message(card: ResultsCard, where: Where) -> Outgoing:
    title = wording.results_title(defang_mentions(card.drill.title), card.on_demand)
    lines = [] if card.on_demand else [wording.turnout(card.answers, card.voters)]
    if card.top:
        lines += ["", f"**{wording.TOP_ANSWERS}**"]
        lines += [_top_line(n, tally, where) for n, tally in enumerate(card.top, start=1)]
        named = [replace(t, display_name=name(t.display_name)) for t in card.others]
        others = wording.others_line(named)
        lines += [others] if others else []
    embed = discord.Embed(
        title=clip(title, TITLE_CHARS),
        description=clip("\n".join(lines).strip(), DESCRIPTION_CHARS) or None,
        colour=COLOUR,
    )
    for heading, value in _reveal_fields(card)[:MAX_FIELDS]:
        embed.add_field(name=heading, value=value, inline=False)
    return Outgoing(embed=_within_total(embed))


def _top_line(place: int, tally: AnswerTally, where: Where) -> str:
    preview = plain(clip(one_line(tally.text), render.ANSWER_PREVIEW_CHARS))
    line = f"{place}. {wording.answer_name(tally, f'**{name(tally.display_name)}**')}: {preview}"
    url = jump_url(where.guild_id, where.thread_id, tally.message_ref) if where.thread_id else None
    return f"{line} [jump to answer]({url})" if url else line


def _reveal_fields(card: ResultsCard) -> list[tuple[str, str]]:
    """One field per section; a section longer than a field continues in the next one."""
    fields: list[tuple[str, str]] = []
    for section in wording.results_sections(card):
        # Review lines carry member names and notes: no markdown of theirs is rendered.
        escaped = plain if section.heading == wording.REVIEWS else defang_mentions
        items = [escaped(item) for item in section.items]
        text = "\n".join(f"- {item}" for item in items) if section.bulleted else reflow(items[0])
        chunks = split_text(text, FIELD_CHARS)
        fields += [(section.heading, chunks[0])]
        fields += [(f"{section.heading} (continued)", chunk) for chunk in chunks[1:]]
    return fields


def split_text(text: str, limit: int) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, cut at line breaks, else at spaces."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit + 1)
        cut = cut if cut > 0 else text.rfind(" ", 0, limit + 1)
        cut = cut if cut > 0 else limit  # one unbroken word longer than a field
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [*pieces, text] if text else pieces or [""]


def _within_total(embed: discord.Embed) -> discord.Embed:
    """Discord refuses an embed over 6,000 characters in all; the top answers give way first,
    since each links to the full answer."""
    excess = len(embed) - EMBED_TOTAL_CHARS
    if excess > 0 and embed.description:
        embed.description = clip(embed.description, len(embed.description) - excess)
    return embed


def leaderboard_message(card: LeaderboardCard, where: Where) -> Outgoing:
    # The first line of the plain text is the title, which the embed shows as its title.
    standings = tuple(replace(s, display_name=name(s.display_name)) for s in card.standings)
    body = render.leaderboard_text(replace(card, standings=standings)).split("\n", 1)[1]
    embed = discord.Embed(
        title=clip(defang_mentions(card.title), TITLE_CHARS),
        description=clip(body, DESCRIPTION_CHARS),
        colour=COLOUR,
    )
    if card.image is None:
        return Outgoing(embed=embed)
    # The picture is attached and shown inside the embed; the text stays in the description.
    embed.set_image(url=f"attachment://{card.image.filename}")
    return Outgoing(embed=embed, file=card.image)


def settings_message(card: SettingsCard, where: Where) -> Outgoing:
    embed = discord.Embed(
        title="Drillbot settings for this channel",
        description=clip(render.settings_text(card), DESCRIPTION_CHARS),
        colour=COLOUR,
    )
    return Outgoing(embed=embed)


def ballot_message(ballot: BallotCard) -> Outgoing:
    content = wording.ballot(ballot.number or ballot.answer_id, name(ballot.author_name))
    view = buttons(VoteButton(ballot.answer_id), ReviewButton(ballot.answer_id))
    if ballot.text is None:
        return Outgoing(content=clip(content, CONTENT_CHARS), view=view)
    # A blind drill's answer is revealed with its ballot; an embed holds more than a message.
    shown = clip(plain(ballot.text), DESCRIPTION_CHARS)
    embed = discord.Embed(description=shown, colour=COLOUR)
    return Outgoing(content=clip(content, CONTENT_CHARS), embed=embed, view=view)


def outgoing(card: Card, where: Where) -> Outgoing:
    match card:
        case DrillCard():
            return drill_message(card, where)
        case ResultsCard():
            return results_message(card, where)
        case LeaderboardCard():
            return leaderboard_message(card, where)
        case SettingsCard():
            return settings_message(card, where)
        case StreakCard():
            return text_only(
                render.streak_text(replace(card, display_name=name(card.display_name)))
            )
        case VoteReceipt() if card.author_name:
            return text_only(wording.vote_receipt(name(card.author_name), card.votes, card.voted))
        case Notice() | VoteReceipt():
            return text_only(card.text)
        case BallotCard():
            return ballot_message(card)
        case FileCard():
            return file_message(card)
        case _:
            assert_never(card)
