"""Member text is text: each nasty name or answer goes through the real core (where control
characters, terminal escapes and bidi overrides are stripped) and out through all three outputs:
Discord (markdown, masked links, mentions, spoilers, headings escaped), Slack and the console."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from bot.core import cards
from bot.core.cards import BallotCard
from bot.core.model import Actor
from bot.core.render import render_text
from bot.core.services import votes
from bot.core.services.context import Core
from bot.core.services.standings import leaderboard
from bot.platforms.discord_app.outbound import Where, ballot_message, outgoing
from bot.platforms.slack_app import blocks
from tests.core.services.helpers import (
    PLATFORM,
    SPACE,
    answer,
    drill_threads,
    member,
    place,
    register,
    reload,
    tick,
)
from tests.recording_platform import RecordingPlatform

MASKED = "[https://discord.com/gifts](https://phish.example)"
NASTY = [
    "bell\x07ring",
    "\x1b[31mred\x1b[0m \x1b]0;pwned\x07title",
    "abc\u202edcba\u202c and \u2066iso\u2069",
    MASKED,
    "<@123456789012345678> <@&123456789012345678> <#123456789012345678> @everyone",
    "||spoiler|| **bold** __under__ `code` ~~strike~~",
    "# Heading\n-# subtext\n> quote",
]
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


async def _cards_for(core: Core, nasty: str, monday_morning: datetime) -> list[cards.Card]:
    """Results, leaderboard, streak and vote receipt for a member called ``nasty`` answering
    ``nasty``: the cards the core really builds."""
    platform = RecordingPlatform()
    await register(core, monday_morning)
    await tick(core, platform, monday_morning + timedelta(hours=1))
    thread = drill_threads(platform)[0]
    author, voter = Actor(PLATFORM, SPACE, "u-nasty", nasty), member("voter")
    at = monday_morning + timedelta(hours=2)
    receipt = await answer(core, author, thread, "m1", nasty, at)
    assert receipt is not None
    vote = await votes.toggle_vote(core, voter, place(thread), receipt.answer_id, at)
    board = await leaderboard(core, await reload(core), False, at)
    await tick(core, platform, monday_morning + timedelta(days=1, hours=2))
    results = platform.of_type(cards.ResultsCard)[-1].card
    return [results, board.card, vote.card]


def _discord_texts(card: cards.Card) -> list[str]:
    message = outgoing(card, Where(1, 2))
    embed = message.embed.to_dict() if message.embed else {}
    return [message.content or "", str(embed.get("description") or "")]


@pytest.mark.parametrize("nasty", NASTY)
async def test_member_text_is_plain_text_on_every_output(
    core: Core, monday_morning: datetime, nasty: str
) -> None:
    found = await _cards_for(core, nasty, monday_morning)
    discord_texts = [text for card in found for text in _discord_texts(card)]
    name = Actor(PLATFORM, SPACE, "u-nasty", nasty).display_name
    ballot = ballot_message(BallotCard(1, name, 1)).content or ""
    slack = [str(blocks.render(card).blocks) for card in found]
    console = [render_text(card) for card in found]
    for output in (*discord_texts, ballot, *slack, *console):
        assert not CONTROL.search(output), repr(output)
        assert "pwned" not in output or "]0;" not in output
    for text in (*discord_texts, ballot):
        _assert_plain_on_discord(text, nasty)


def _assert_plain_on_discord(text: str, nasty: str) -> None:
    assert "](" not in text, text  # a masked link would hide where it goes
    assert not re.search(r"<[@#]", text), text  # user, role and channel pills
    assert "@everyone" not in text
    for piece in nasty.split():  # spoilers, bold, underline, code, strike-through
        if any(mark in piece for mark in "|*_`~"):
            assert piece not in text, text
    assert not re.search(r"(?m)^(# |-# |> )", text), text  # headings, subtext, quotes


async def test_the_console_echoes_no_terminal_escapes(tmp_path) -> None:
    from tests.platforms.console.test_console_week import run_cli

    script = "alice: hello \x1b[2J\x1b[31mworld\x07 \u202eevil\n"
    result = run_cli(["run", "--start", "2026-11-23T08:00:00Z"], tmp_path / "c.db", script)
    assert result.returncode == 0, result.stderr
    assert not CONTROL.search(result.stdout.replace("\n", "")), repr(result.stdout)
    assert "hello world evil" in result.stdout
