"""Plain-text cards: the key facts are there, and member text never pings a whole channel."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core import cards
from bot.core.model import AnswerTally, ChannelSettings, Standing
from bot.core.render import days_text, render_text
from bot.core.text import defang_mentions
from bot.core.wording import plural
from drills import Drill, kind_label
from tests.support.drills import longest_drill, v2_drill

RAW_MENTION = re.compile(r"@(everyone|here|channel)", re.IGNORECASE)
SLACK_BROADCAST = re.compile(r"<!(everyone|here|channel)", re.IGNORECASE)
T0 = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)

DRILL = Drill(
    id="ld-invoice-queue",
    kind="live-debugging",
    title="The invoice queue that will not drain",
    difficulty=2,
    tags=("messaging", "observability"),
    prompt="The invoice worker queue has grown from 200 to 48,000 messages in forty minutes.",
    rubric=(
        "Checks consumer throughput before producers",
        "Looks for a slow downstream call",
        "Separates mitigation from the root-cause fix",
    ),
    follow_ups=("What alert would have caught this earlier?", "300 invoices went out twice?"),
)


def tally(answer_id: int, name: str, text: str, votes: int) -> AnswerTally:
    return AnswerTally(
        answer_id=answer_id,
        member_id=answer_id,
        display_name=name,
        text=text,
        votes=votes,
        created_at=T0 + timedelta(minutes=answer_id),
    )


# --- each card ----------------------------------------------------------------------------------


def test_daily_drill_card() -> None:
    card = cards.DrillCard(
        round_id=1,
        mode="daily",
        drill=DRILL,
        closes_at=datetime(2026, 3, 11, 8, 0, tzinfo=UTC),
        timezone="Europe/Berlin",
    )
    text = render_text(card)
    assert text.startswith("**The invoice queue that will not drain**\n")
    assert "Live debugging · difficulty 2/3 · messaging, observability" in text
    assert DRILL.prompt in text
    # Closing time in the channel's zone: 08:00 UTC is 09:00 in Berlin in March.
    assert "before Wed 11 Mar 09:00 (Europe/Berlin)" in text
    assert "vote" in text
    assert "(for " not in text
    assert "\nTime box: 20 minutes · Walk through: size the impact → ask what changed → " in text
    assert "Ask the interviewer" not in text  # this drill has no facts
    for point in DRILL.rubric:
        assert point.point not in text  # the rubric is only revealed with the results


def test_on_demand_drill_card_names_the_member() -> None:
    card = cards.DrillCard(
        round_id=2,
        mode="on_demand",
        drill=DRILL,
        closes_at=datetime(2026, 3, 10, 23, 30, tzinfo=UTC),
        timezone="Pacific/Tongatapu",
        requested_by="Dana",
    )
    text = render_text(card)
    assert "**The invoice queue that will not drain** (for Dana)" in text
    assert "before Wed 11 Mar 12:30 (Pacific/Tongatapu)" in text
    assert "once you answer" in text


def test_results_card() -> None:
    card = cards.ResultsCard(
        round_id=3,
        drill=DRILL,
        top=(
            tally(1, "Ana", "Check the consumers first.\nThen the DB.", 3),
            tally(2, "Bo", "Scale out.", 1),
        ),
        answers=4,
        voters=1,
    )
    text = render_text(card)
    lines = text.splitlines()
    assert lines[0] == "**Results: The invoice queue that will not drain**"
    assert lines[1] == "4 answers, 1 voter."
    assert "1. Ana (3 votes): Check the consumers first. Then the DB." in lines
    assert "2. Bo (1 vote): Scale out." in lines
    for point in DRILL.rubric:
        assert f"- {point.point}" in lines
    for question in DRILL.follow_ups:
        assert f"- {question.ask}" in lines


def test_results_card_without_answers() -> None:
    text = render_text(cards.ResultsCard(round_id=3, drill=DRILL, top=(), answers=0, voters=0))
    assert "No answers this time" in text
    assert "Top answers" not in text
    assert f"- {DRILL.rubric[0].point}" in text


def test_results_preview_is_clipped() -> None:
    long_answer = "word " * 200
    card = cards.ResultsCard(
        round_id=3, drill=DRILL, top=(tally(1, "Ana", long_answer, 2),), answers=1, voters=1
    )
    line = next(line for line in render_text(card).splitlines() if line.startswith("1. "))
    preview = line.split(": ", 1)[1]
    assert len(preview) == 280
    assert preview.endswith("…")
    assert preview[:-1] == ("word " * 56)[:279]


# --- drill bank v2 -------------------------------------------------------------------------------

V2 = v2_drill()


def test_a_v2_drill_post_offers_facts_on_request_and_reveals_nothing() -> None:
    text = render_text(cards.DrillCard(1, "daily", V2, T0, "UTC"))
    lines = text.splitlines()
    assert lines[lines.index(V2.prompt) + 2].startswith("Time box: 20 minutes · Walk through: ")
    assert (
        "Ask the interviewer: `ask` lists the questions, `ask N` answers one, privately." in lines
    )
    hidden = [*(f.ask for f in V2.facts), *(f.answer for f in V2.facts), *V2.red_flags]
    hidden += [p.point for p in V2.rubric] + [q.ask for q in V2.follow_ups]
    assert V2.strong_answer is not None and V2.strong_answer not in text
    assert not [item for item in hidden if item in text]


def test_a_custom_kind_has_no_time_box() -> None:
    text = render_text(cards.DrillCard(1, "daily", v2_drill(kind="chaos-day"), T0, "UTC"))
    assert "Chaos day · difficulty 2/3" in text and "Time box" not in text


def test_v2_results_group_the_rubric_by_level_then_flags_sketch_and_probes() -> None:
    lines = render_text(cards.ResultsCard(3, V2, (), 2, 1)).splitlines()
    headings = [line for line in lines if line.endswith(":") and not line.startswith("- ")]
    assert headings == [
        "Senior bar:",
        "Staff bar:",
        "Red flags:",
        "A strong answer sketch:",
        "Follow-up questions:",
    ]
    senior, staff = lines.index("Senior bar:"), lines.index("Staff bar:")
    assert lines[senior + 1 : staff - 1] == [
        "- Checks consumer throughput before producers (x2)",
        "- Separates mitigation from the root-cause fix",
    ]
    assert lines[staff + 1] == "- Sets an alert on queue age for every queue"
    assert "- Scales producers down without looking at the consumers" in lines
    assert lines[lines.index("A strong answer sketch:") + 1] == V2.strong_answer
    assert "- 300 invoices went out twice. What now? [failure mode]" in lines
    assert "- What alert would have caught this earlier? [measurement]" in lines


def test_v1_results_keep_one_rubric_heading_and_no_empty_ones() -> None:
    text = render_text(cards.ResultsCard(3, DRILL, (), 0, 0, on_demand=True))
    assert text.startswith("**Thanks for practising: The invoice queue that will not drain**\n\n")
    assert "A strong answer covers:\n- Checks consumer throughput before producers\n" in text
    for absent in ("Senior bar", "Staff bar", "Red flags", "sketch", "[", "(x"):
        assert absent not in text
    assert text.endswith("- 300 invoices went out twice?")


def test_the_longest_drill_renders_whole_in_plain_text() -> None:
    drill = longest_drill()
    post = render_text(cards.DrillCard(1, "daily", drill, T0, "UTC"))
    results = render_text(cards.ResultsCard(1, drill, (), 0, 0))
    assert "Ask the interviewer" in post and "Time box" in post
    assert defang_mentions(drill.facts[0].answer) not in post
    assert results.count(" (x3)") == 6 and results.count("[failure mode]") == 3
    assert defang_mentions(drill.strong_answer or "") in results
    assert_no_mass_mention(post + results)


def test_leaderboard_card() -> None:
    card = cards.LeaderboardCard(
        title="This week",
        standings=(Standing(1, "Ana", 12, 3, 3, streak=5), Standing(2, "Bo", 1, 1, 0, streak=1)),
    )
    assert render_text(card).splitlines() == [
        "**This week**",
        "1. Ana: 12 points · 3 answers · 3 votes · streak 5",
        "2. Bo: 1 point · 1 answer · 0 votes · streak 1",
    ]


def test_empty_leaderboard() -> None:
    text = render_text(cards.LeaderboardCard(title="All time", standings=()))
    assert text.startswith("**All time**\n")
    assert "No points yet" in text


def test_streak_card() -> None:
    card = cards.StreakCard(display_name="Ana", current=1, longest=9, freezes=2, points_this_week=7)
    assert render_text(card) == (
        "Ana: streak 1 day (longest 9), 2 freezes held, 7 points this week."
    )


def test_settings_card() -> None:
    s = ChannelSettings(
        post_time=time(9, 0),
        timezone="Europe/Berlin",
        days=frozenset({0, 2, 4}),
        kinds=("live-debugging", "design-warmup"),
        answer_window=timedelta(hours=1, minutes=30),
        weekly_day=6,
        weekly_time=time(18, 0),
        blind=True,
        review_window=timedelta(hours=6, minutes=30),
    )
    card = cards.SettingsCard(
        settings=s,
        next_post_at=datetime(2026, 3, 11, 8, 0, tzinfo=UTC),
        next_weekly_at=None,
        drills_in_rotation=32,
        holidays=(date(2026, 12, 24), date(2026, 12, 25)),
    )
    assert render_text(card).splitlines() == [
        "Post time: 09:00 Europe/Berlin, on mon,wed,fri",
        "Kinds: live-debugging, design-warmup (32 drills)",
        "Answer window: 1h30m",
        "Weekly leaderboard: sun 18:00",
        "Minimum answer: 80 characters (shorter ones earn nothing)",
        "Blind answers: on, then 6h30m to vote and review",
        "Reviewers in results: not named (shares only)",
        "Paused: no",
        "Holidays: Thu 24 Dec, Fri 25 Dec",
        "Next drill: Wed 11 Mar 09:00",
    ]


def test_paused_settings_card_has_no_next_drill() -> None:
    s = ChannelSettings(paused=True)
    card = cards.SettingsCard(
        settings=s, next_post_at=T0, next_weekly_at=None, drills_in_rotation=96
    )
    text = render_text(card)
    assert "Paused: yes" in text
    assert "Kinds: all (96 drills)" in text
    assert "Answer window: 24h" in text
    assert "on every day" in text
    assert "Next drill" not in text


def test_notice_and_vote_receipt() -> None:
    assert render_text(cards.Notice("Saved.")) == "Saved."
    receipt = cards.VoteReceipt(text="Vote counted.", answer_id=1, votes=2, voted=True)
    assert render_text(receipt) == "Vote counted."


def test_helpers() -> None:
    assert kind_label("design-warmup") == "Design warm-up"
    assert kind_label("custom-thing") == "Custom thing"
    assert plural(1, "vote") == "1 vote"
    assert plural(0, "vote") == "0 votes"
    assert days_text(frozenset({4, 0})) == "mon,fri"
    assert days_text(frozenset(range(7))) == "every day"


# --- mass mentions in member text ---------------------------------------------------------------

MENTIONS = [
    "@everyone",
    "@EVERYONE",
    "@here",
    "@Here",
    "@channel",
    "<!here>",
    "<!channel|channel>",
    "<!everyone>",
]
hostile = st.lists(
    st.one_of(st.sampled_from(MENTIONS), st.sampled_from(["hi", "Ana", "ping", "", "!", "\n"])),
    min_size=1,
    max_size=5,
).map(" ".join)


def assert_no_mass_mention(text: str) -> None:
    assert RAW_MENTION.search(text) is None, text
    assert SLACK_BROADCAST.search(text) is None, text


HOSTILE_V2 = v2_drill(
    title="@everyone drill",
    prompt="A prompt that pings @here and <!channel> if it can, twice @everyone.",
    rubric=[{"point": "Checks <!here> first", "level": "staff"}] * 3,
    red_flags=["Pings @everyone in the incident channel"],
    strong_answer=" ".join(["Never page @channel for this."] * 12),
    follow_ups=[{"ask": "Who pings @here next?", "probe": "people"}] * 2,
)


def member_cards(name: str, body: str) -> list[cards.Card]:
    return [
        cards.DrillCard(1, "on_demand", DRILL, T0, "UTC", requested_by=name),
        cards.ResultsCard(3, DRILL, (tally(1, name, body, 2), tally(2, body, name, 1)), 2, 2),
        cards.LeaderboardCard("Week", (Standing(1, name, 3, 1, 1), Standing(2, body, 1, 1, 0))),
        cards.StreakCard(name, 3, 4, 1, 9),
        cards.DrillCard(1, "daily", HOSTILE_V2, T0, "UTC"),
        cards.ResultsCard(3, HOSTILE_V2, (), 0, 0),
    ]


def test_render_defangs_the_obvious_cases() -> None:
    for card in member_cards("@everyone", "hey @here and <!channel> and <!everyone>"):
        text = render_text(card)
        assert "@everyone" not in text
        assert_no_mass_mention(text)


@settings(max_examples=150, deadline=None)
@given(hostile, hostile)
def test_render_never_echoes_a_mass_mention(name: str, body: str) -> None:
    for card in member_cards(name, body):
        assert_no_mass_mention(render_text(card))


def test_member_text_survives_apart_from_the_mention() -> None:
    card = cards.ResultsCard(3, DRILL, (tally(1, "@here Ana", "Use a DLQ @everyone", 1),), 1, 1)
    text = render_text(card).replace("\u200b", "")
    assert "1. @here Ana (1 vote): Use a DLQ @everyone" in text
