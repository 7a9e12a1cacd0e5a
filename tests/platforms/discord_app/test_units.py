"""The adapter's pure parts: invite URL, nonces, archive durations, card rendering within
Discord's limits, and how Discord errors map onto retries."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import aiohttp
import discord
import pytest

from bot.core.cards import DrillCard, LeaderboardCard, ResultsCard
from bot.core.model import AnswerTally, Standing
from bot.platforms.discord_app.failures import send_failed
from bot.platforms.discord_app.invite import application_id_from_token, invite_url
from bot.platforms.discord_app.outbound import Where, outgoing, reflow, split_text
from bot.platforms.discord_app.platform import archive_minutes
from bot.platforms.discord_app.refs import jump_url, nonce_for
from drills import Drill
from tests.fakes.discord import validation
from tests.support.drills import longest_drill, longest_tallies, v2_drill

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
LONG = "word " * 2000
DRILL = Drill(
    id="ld-long-one",
    kind="live-debugging",
    title="T" * 100,
    difficulty=3,
    tags=("a-tag", "b-tag"),
    prompt="@everyone " + "p" * 1480,
    rubric=tuple("r" * 200 for _ in range(6)),
    follow_ups=tuple("f" * 300 for _ in range(3)),
)


def test_invite_url_asks_for_exactly_what_drillbot_uses() -> None:
    url = invite_url(1234)
    assert url.startswith("https://discord.com/oauth2/authorize?client_id=1234")
    assert "scope=bot+applications.commands" in url
    expected = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 15) | (1 << 16) | (1 << 35) | (1 << 38)
    assert f"permissions={expected}" in url and expected == 309237763072


def test_nonces_are_stable_short_and_distinct() -> None:
    assert nonce_for("drill:1") == nonce_for("drill:1") != nonce_for("drill:2")
    assert len(nonce_for("weekly:123456:2026-11-23" * 4)) <= 25


def test_threads_outlast_the_answer_window() -> None:
    assert archive_minutes(timedelta(hours=24)) == 1440
    assert archive_minutes(timedelta(minutes=90)) == 1440
    assert archive_minutes(timedelta(hours=30)) == 4320
    assert archive_minutes(timedelta(days=7)) == 10080


def test_jump_links_only_for_real_messages() -> None:
    assert jump_url(1, 2, "3") == "https://discord.com/channels/1/2/3"
    assert jump_url(1, 2, "modal:99") is None


def test_prompts_reflow_but_keep_paragraphs_and_lists() -> None:
    assert reflow("a\nb\n\n- one\n- two") == "a b\n\n- one\n- two"


def within_limits(card: object, where: Where | None = None) -> dict[str, object]:
    message = outgoing(card, where or Where())  # type: ignore[arg-type]
    body = {
        "content": message.content,
        "embeds": [message.embed.to_dict()] if message.embed else [],
    }
    assert not validation.message(body, has_files=False, where="test")
    message.sent()
    return body


def test_the_longest_cards_fit_in_one_embed_and_ping_nobody() -> None:
    tallies = tuple(
        AnswerTally(n, n, "@here " + "N" * 90, LONG, 3, T0, str(1000 + n)) for n in range(1, 4)
    )
    results = within_limits(ResultsCard(1, DRILL, tallies, 40, 30), Where(5, 6))
    drill = within_limits(DrillCard(1, "on_demand", DRILL, T0, "UTC", "@everyone" * 20))
    standings = tuple(Standing(n, "x" * 100, 10, 5, 5, 3) for n in range(10))
    board = within_limits(LeaderboardCard("Weekly leaderboard", standings))
    text = str(results) + str(drill) + str(board)
    assert "@everyone" not in text and "@here" not in text
    assert "https://discord.com/channels/5/6/1001" in str(results)


def embed_limits(body: dict[str, object]) -> None:
    """Discord's embed limits, spelled out (the fake's validation checks them too)."""
    embed = body["embeds"][0]  # type: ignore[index]
    fields = embed.get("fields", [])
    assert len(embed.get("description", "")) <= 4096 and len(fields) <= 25
    assert all(len(field["value"]) <= 1024 and len(field["name"]) <= 256 for field in fields)
    parts = [embed.get("title", ""), embed.get("description", "")]
    parts += [embed.get("footer", {}).get("text", ""), embed.get("author", {}).get("name", "")]
    parts += [field["name"] + field["value"] for field in fields]
    assert sum(len(part) for part in parts) <= 6000


def test_the_longest_drill_fits_discord_limits_on_every_card() -> None:
    drill, tallies = longest_drill(), longest_tallies()
    shown = [
        within_limits(DrillCard(1, "daily", drill, T0, "UTC"), Where(answers_in_thread=False)),
        within_limits(DrillCard(2, "on_demand", drill, T0, "UTC", "@everyone" * 30)),
        within_limits(ResultsCard(1, drill, tallies, 40, 30), Where(5, 6)),
        within_limits(ResultsCard(2, drill, (), 1, 0, on_demand=True)),
    ]
    for body in shown:
        embed_limits(body)
    assert "@everyone" not in str(shown) and "@here" not in str(shown)
    results = shown[2]["embeds"][0]  # type: ignore[index]
    assert "https://discord.com/channels/5/6/1003" in results["description"]
    names = [field["name"] for field in results["fields"]]
    assert names == [
        "Senior bar",
        "Senior bar (continued)",
        "Staff bar",
        "Red flags",
        "A strong answer sketch",
        "A strong answer sketch (continued)",
        "Follow-up questions",
    ]


def test_absurdly_long_names_give_way_before_the_reveal() -> None:
    tallies = tuple(AnswerTally(n, n, "N" * 1500, LONG, 3, T0, str(n)) for n in range(1, 4))
    body = within_limits(ResultsCard(1, longest_drill(), tallies, 3, 3), Where(5, 6))
    embed_limits(body)
    embed = body["embeds"][0]  # type: ignore[index]
    assert embed["description"].endswith("…") and len(embed["fields"]) == 7


def test_a_v2_drill_post_shows_the_approach_and_keeps_the_answers_back() -> None:
    drill = v2_drill()
    embed = within_limits(DrillCard(1, "daily", drill, T0, "UTC"))["embeds"][0]  # type: ignore[index]
    description = embed["description"]
    assert "\n\nTime box: 20 minutes · Walk through: size the impact → " in description
    assert "\nAsk the interviewer: `ask` lists the questions, `ask N` answers one, privately." in (
        description
    )
    assert "\n\nAnswer in this thread or with the Answer button before <t:" in description
    hidden = [drill.facts[0].answer, drill.red_flags[0], drill.rubric[0].point]
    assert not [text for text in hidden if text in str(embed)]
    assert embed["footer"]["text"] == "Live debugging · difficulty 2/3 · messaging, observability"


def test_v2_results_fields_in_order_with_weights_and_probes() -> None:
    embed = within_limits(ResultsCard(1, v2_drill(), (), 2, 2))["embeds"][0]  # type: ignore[index]
    fields = {field["name"]: field["value"] for field in embed["fields"]}
    assert list(fields) == [
        "Senior bar",
        "Staff bar",
        "Red flags",
        "A strong answer sketch",
        "Follow-up questions",
    ]
    assert fields["Senior bar"].startswith("- Checks consumer throughput before producers (x2)\n")
    assert (
        "- 300 invoices went out twice. What now? [failure mode]" in fields["Follow-up questions"]
    )


def test_split_text_cuts_at_lines_then_spaces() -> None:
    assert split_text("aaa\nbbb\nccc", 8) == ["aaa\nbbb", "ccc"]
    assert split_text("aaaa bbbb cccc", 9) == ["aaaa bbbb", "cccc"]
    assert split_text("x" * 10, 4) == ["xxxx", "xxxx", "xx"]


def error(cls: type[discord.HTTPException], status: int, code: int) -> discord.HTTPException:
    response = SimpleNamespace(status=status, reason="x")
    return cls(response, {"code": code, "message": "x"})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("failure", "permanent", "hinted"),
    [
        (error(discord.Forbidden, 403, 50013), False, True),
        (error(discord.Forbidden, 403, 50001), False, True),
        (error(discord.NotFound, 404, 10003), True, False),
        (error(discord.NotFound, 404, 10008), False, False),
        (error(discord.DiscordServerError, 503, 0), False, False),
        (error(discord.HTTPException, 400, 50035), True, False),
        (error(discord.HTTPException, 429, 0), False, False),  # discord.py's 429 retries ran out
        (aiohttp.ClientConnectionError("reset"), False, False),
        (TimeoutError(), False, False),
    ],
)
def test_errors_map_to_retries_and_hints(
    failure: BaseException, permanent: bool, hinted: bool
) -> None:
    mapped = send_failed(failure, "#daily")
    assert mapped.permanent is permanent
    assert (mapped.admin_hint is not None) is hinted
    if hinted:
        assert mapped.admin_hint is not None and mapped.admin_hint.endswith("in #daily")


def test_a_429_left_after_discord_py_retries_is_retried_after_retry_after() -> None:
    response = SimpleNamespace(status=429, reason="x", headers={"Retry-After": "3"})
    failure = discord.HTTPException(response, {"code": 0, "message": "rate limited"})  # type: ignore[arg-type]
    mapped = send_failed(failure, "#daily")
    assert (mapped.permanent, mapped.retry_after) == (False, 3.0)


def test_the_application_id_comes_from_the_token() -> None:
    head = base64.b64encode(b"1234567890123").decode().rstrip("=")
    assert application_id_from_token(f"{head}.GxYzAb.secret-part") == 1234567890123
    assert application_id_from_token("not a token") is None


@pytest.mark.parametrize(
    ("member_text", "shown"),
    [
        ("[gift](https://phish.example)", "[gift]\u200b(https://phish.example)"),
        ("# Big\n-# small\n> quote", "\\# Big\n\\-# small\n\\> quote"),
        ("||x|| *y* _z_", "\\|\\|x\\|\\| \\*y\\* \\_z\\_"),
        (
            "<@123456789012345678> <#123456789012345678>",
            "<\u200b@\u200b123456789012345678> <\u200b#123456789012345678>",
        ),
        ("see https://example.com/a_b", "see https://example.com/a_b"),
    ],
)
def test_member_text_is_shown_as_plain_text(member_text: str, shown: str) -> None:
    from bot.platforms.discord_app.escape import plain

    assert plain(member_text) == shown
