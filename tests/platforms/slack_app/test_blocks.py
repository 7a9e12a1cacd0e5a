"""Outbound translation: every card as Block Kit within Slack's limits, with member text escaped."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.core import cards
from bot.core.model import AnswerTally, ChannelSettings, Standing
from bot.core.services.home import HomeSummary, RecentAnswer
from bot.platforms.slack_app import blocks, refs, views
from drills import Catalogue
from tests.fakes.slack.validation import check_message, check_view
from tests.support.drills import longest_drill, longest_tallies, v2_drill

NASTY = "<!channel> @here <@U123|boss> & <https://evil.example|click me> *bold*"
CLOSES = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


def _every_card(bank: Catalogue) -> list[cards.Card]:
    drill = next(iter(bank.drills.values()))
    tally = AnswerTally(7, 1, NASTY, NASTY * 40, 3, CLOSES)
    standing = Standing(1, NASTY, 16, 5, 3, 2)
    return [
        cards.DrillCard(1, "daily", drill, CLOSES, "Europe/London"),
        cards.DrillCard(2, "on_demand", drill, CLOSES, "UTC", requested_by=NASTY),
        cards.ResultsCard(1, drill, (tally, tally), 2, 3),
        cards.ResultsCard(2, drill, (), 1, 0, on_demand=True),
        cards.LeaderboardCard("Weekly leaderboard: 23 Nov–29 Nov", (standing,) * 10),
        cards.LeaderboardCard("All-time leaderboard", ()),
        cards.StreakCard(NASTY, 3, 9, 1, 12),
        cards.SettingsCard(ChannelSettings(), CLOSES, None, 90),
        cards.Notice(NASTY),
        cards.VoteReceipt(f"Vote recorded for {NASTY}'s answer (now 2).", 7, 2, True),
    ]


def test_every_card_is_valid_block_kit_that_pings_nobody(bank: Catalogue) -> None:
    for card in _every_card(bank):
        message = blocks.render(card)
        assert message.text.strip() and message.blocks
        params = {"text": message.text, "blocks": list(message.blocks)}
        assert check_message("chat.postMessage", params) == [], type(card).__name__
        assert "<!" not in str(params) and "<@" not in str(params) and "<http" not in str(params)


def test_member_text_is_escaped_not_interpreted() -> None:
    assert blocks.escape("a < b & c > d") == "a &lt; b &amp; c &gt; d"
    assert blocks.escape("<!here>") == "@\u200bhere"
    assert blocks.mrkdwn("**Title** & <tag>") == "*Title* &amp; &lt;tag&gt;"


def test_daily_and_on_demand_drills_differ_only_in_how_to_answer(bank: Catalogue) -> None:
    daily, on_demand = _every_card(bank)[:2]
    daily_blocks = blocks.render(daily).blocks
    kinds = [b["type"] for b in daily_blocks]
    assert kinds[:4] == ["header", "context", "section", "context"]
    assert set(kinds[4:]) == {"context"}  # the facts line, for drills that have facts
    assert daily_blocks[3]["elements"][0]["text"].startswith("Time box: ")
    how = daily_blocks[-1]["elements"][0]["text"]
    assert how.startswith(
        "Answer in this thread before Tue 24 Nov 09:30 (Europe/London), then vote"
    )
    answer = blocks.render(on_demand).blocks[-1]
    assert answer["elements"][0]["action_id"] == "answer" and answer["elements"][0]["value"] == "2"


def test_long_text_is_clipped_to_slack_limits(bank: Catalogue) -> None:
    results = _every_card(bank)[2]
    top = blocks.render(results).blocks[2]["text"]["text"]
    assert len(top) <= blocks.MAX_SECTION and "…" in top


def _longest_cards() -> list[cards.Card]:
    drill, tallies = longest_drill(), longest_tallies()
    return [
        cards.DrillCard(1, "daily", drill, CLOSES, "Europe/London"),
        cards.DrillCard(2, "on_demand", drill, CLOSES, "UTC", requested_by=NASTY * 10),
        cards.ResultsCard(1, drill, tallies, 40, 30),
        cards.ResultsCard(2, drill, (), 1, 0, on_demand=True),
    ]


def _mrkdwn_texts(shown: tuple[blocks.Block, ...]) -> list[str]:
    texts = [b["text"]["text"] for b in shown if b["type"] == "section"]
    return texts + [e["text"] for b in shown if b["type"] == "context" for e in b["elements"]]


def test_the_longest_drill_fits_slack_limits_on_every_card() -> None:
    for card in _longest_cards():
        message = blocks.render(card)
        params = {"text": message.text, "blocks": list(message.blocks)}
        assert check_message("chat.postMessage", params) == [], type(card).__name__
        assert len(message.blocks) <= 50 and len(message.text) <= blocks.MAX_TEXT
        for block in message.blocks:
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= blocks.MAX_SECTION
        assert "<!" not in str(params)
        # Only mrkdwn is parsed, so raw "<x>" may appear in plain_text headers and nowhere else.
        assert "<x>" not in message.text + str(_mrkdwn_texts(message.blocks))
    reveal = _longest_cards()[3]
    assert isinstance(reveal, cards.ResultsCard)
    assert check_view("views.open", views.reveal_modal(reveal)) == []


def test_a_v2_drill_post_shows_the_approach_and_keeps_the_answers_back() -> None:
    drill = v2_drill()
    text = str(blocks.render(cards.DrillCard(1, "daily", drill, CLOSES, "UTC")).blocks)
    assert "Time box: 20 minutes · Walk through: size the impact → ask what changed" in text
    assert "Ask the interviewer: `ask` lists the questions, `ask N` answers one, privately." in text
    assert drill.facts[0].answer not in text and drill.red_flags[0] not in text
    assert drill.rubric[0].point not in text and (drill.strong_answer or "") not in text


def test_v2_results_show_every_section_in_order() -> None:
    drill = v2_drill()
    shown = blocks.render(cards.ResultsCard(1, drill, (), 2, 2)).blocks
    headings = [b["text"]["text"].split("\n", 1)[0] for b in shown[2:]]
    assert headings == [
        "*Senior bar*",
        "*Staff bar*",
        "*Red flags*",
        "*A strong answer sketch*",
        "*Follow-up questions*",
    ]
    assert "• Checks consumer throughput before producers (x2)" in shown[2]["text"]["text"]
    assert "• 300 invoices went out twice. What now? [failure mode]" in shown[6]["text"]["text"]


def test_vote_prompt_carries_the_answer_id() -> None:
    prompt = blocks.vote_prompt(12, "<b>ob")
    buttons = prompt.blocks[1]["elements"]
    assert [(b["action_id"], b["value"]) for b in buttons] == [("vote", "12"), ("review", "12")]
    assert prompt.text == "Answer #12 by &lt;b&gt;ob: vote if you would hire this answer."


def test_views_are_within_limits(bank: Catalogue) -> None:
    on_demand, reveal = _every_card(bank)[1], _every_card(bank)[3]
    assert isinstance(on_demand, cards.DrillCard) and isinstance(reveal, cards.ResultsCard)
    recent = (RecentAnswer(NASTY, "daily", date(2026, 11, 23), 2, True),)
    home = views.home_view(HomeSummary(NASTY, "C1", 3, 5, 1, 12, recent))
    for view in (views.answer_modal(on_demand), views.reveal_modal(reveal), home):
        assert check_view("views.open", view) == []
        assert "<!" not in str(view)
    assert views.answer_modal(on_demand)["private_metadata"] == "2"


@pytest.mark.parametrize(
    ("slack", "plain"),
    [
        ("a &lt; b &amp;&amp; c &gt; d", "a < b && c > d"),
        ("ask <@U123|bob> or <@U456>", "ask @bob or @U456"),
        ("in <#C1|drills>, <!here> and <!subteam^S1|@oncall>", "in #drills, @here and @oncall"),
        (
            "see <https://x.test/a?b=1&amp;c=2> or <https://x.test|docs>",
            "see https://x.test/a?b=1&c=2 or docs (https://x.test)",
        ),
    ],
)
def test_slack_markup_in_member_text_becomes_plain_text(slack: str, plain: str) -> None:
    assert refs.plain_text(slack) == plain


def test_refs_round_trip() -> None:
    assert refs.split_ref(refs.thread_ref("C1", "17.000100")) == ("C1", "17.000100")
    assert refs.split_ref(refs.modal_ref("V1")) is None and refs.split_ref(None) is None


@pytest.mark.parametrize(
    "answer",
    ["&" * 16_000, "x<" * 8_000, "ab&" * 5_333 + "z"],
    ids=["ampersands", "angles", "mixed"],
)
def test_a_blind_ballot_shows_all_of_a_long_answer_escaped(answer: str) -> None:
    """Escaping lengthens an answer: it is split afterwards, into whole sections that keep every
    character and cut no entity in two."""
    card = cards.BallotCard(7, NASTY, 3, answer)
    message = blocks.render(card)
    assert check_message("chat.postMessage", {"channel": "C1", **message.fields()}) == []
    shown = [b["text"]["text"] for b in message.blocks if b["type"] == "section"][1:]
    assert all(len(piece) <= blocks.MAX_SECTION for piece in shown)
    assert "".join(shown) == blocks.escape(answer)
    assert all(not piece.endswith(("&", "&a", "&am", "&amp", "&l", "&lt")) for piece in shown)
