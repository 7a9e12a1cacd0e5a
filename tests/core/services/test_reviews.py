"""Rubric reviews through the command table, on the real database: the round, its results, the
points they earn, the authors' summaries and the rules that keep the rubric from leaking."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core.cards import Reply, ResultsCard
from bot.core.model import Actor, Place
from bot.core.services import answers, commands
from bot.core.services.context import Core
from tests.core.services.helpers import (
    answer,
    drill_threads,
    member,
    place,
    register,
    reload,
    tick,
)
from tests.recording_platform import RecordingPlatform

POST = timedelta(hours=1)
DAY = timedelta(hours=24)


async def run(
    core: Core, who: Actor, text: str, now: datetime, where: Place | None = None
) -> Reply:
    return await commands.handle_command(core, who, where or place(), text, f"k-{text}", now)


def said(reply: Reply) -> str:
    return reply.card.text  # type: ignore[union-attr]


async def a_round_with_two_answers(
    core: Core, platform: RecordingPlatform, monday: datetime
) -> tuple[str, datetime]:
    await register(core, monday)
    at = monday + POST
    await tick(core, platform, at)
    thread = drill_threads(platform)[0]
    assert await answer(core, member("bob"), thread, "m1", "Pause the job, then refund.", at)
    assert await answer(core, member("carol"), thread, "m2", "Idempotency key per period.", at)
    return thread, at


async def test_reviews_score_teach_and_tell_each_author(core, platform, monday_morning):
    _thread, at = await a_round_with_two_answers(core, platform, monday_morning)
    form = await run(core, member("dave"), "review 1", at)
    assert form.ok and form.private and "1. [senior]" in said(form) and "[staff]" in said(form)
    for who, text in [
        ("dave", "review 1 1,2 senior good mitigation first"),
        ("erin", "review 1 2 not-yet"),
        ("dave", "review 2 1,3,4 staff"),
        ("erin", "review 2 1,2,3 staff clear root cause"),
        ("bob", "review 2 1,2 senior"),
    ]:
        reply = await run(core, member(who), text, at)
        assert reply.ok, said(reply)
    changed = await run(core, member("erin"), "review 1 1,2 not-yet", at)
    assert said(changed).startswith("Updated your review of answer 1: points 1, 2")

    await tick(core, platform, at + DAY)
    results = platform.of_type(ResultsCard)[0].card
    lines = "\n".join(results.reviews)
    assert (
        "Answer 1 by bob, 2 reviews: covers 2 of 4 senior points and 0 of 2 staff points" in lines
    )
    assert "Answer 2 by carol, 3 reviews: covers 3 of 4 senior points" in lines
    assert "reads senior" in lines and "reviewers' verdict staff" in lines
    assert "“clear root cause”" in lines
    assert "dave:" not in lines  # the channel did not choose to name reviewers

    board = await run(core, member("zed"), "leaderboard", at + DAY)
    points = {s.display_name: s.points for s in board.card.standings}  # type: ignore[union-attr]
    # bob: 2 for answering + 2 reviews x 2 + 1 for reviewing; carol: 2 + 3 x 2; dave: 2 x 1
    assert (points["bob"], points["carol"], points["dave"], points["erin"]) == (7, 8, 2, 2)
    news = await run(core, member("bob"), "streak", at + DAY)
    summary = [n for n in news.notes if n.startswith("Reviews of your Mon 23 Nov answer")]
    assert summary and "The strongest answers also covered: 3 " in summary[0]


async def test_refusals_change_nothing(core, platform, monday_morning):
    _thread, at = await a_round_with_two_answers(core, platform, monday_morning)
    await register(core, monday_morning, channel="chan-2")
    cases = {
        "review 1 1 staff": ("bob", "cannot review your own answer"),
        "review 3 1 staff": ("dave", "There is no answer 3"),
        "review ٣ 1 staff": ("dave", "There is no answer"),
        "review 99999999999999999999 1 staff": ("dave", "There is no answer"),
        "review 2 1,9 staff": ("dave", "numbers from 1 to 6"),
        "review 2 1 principal": ("dave", "staff, senior or not-yet"),
        "review 2 1": ("dave", "Give the points you saw and a read"),
        "review self 1 senior": ("dave", "Answer an on-demand drill"),
    }
    for text, (who, expected) in cases.items():
        reply = await run(core, member(who), text, at)
        assert not reply.ok and expected in said(reply), (text, said(reply))
    elsewhere = await run(core, member("dave"), "review 1 1 staff", at, place(channel="chan-2"))
    assert not elsewhere.ok  # chan-2's round has no answers; chan-1's are not reachable from it
    bot = await run(core, member("ci", bot=True), "review 1 1 staff", at)
    closed = await run(core, member("dave"), "review 1 1 staff", at + DAY)
    assert not bot.ok and not closed.ok and "closed" in said(closed)
    stored = await core.db.run(lambda uow: uow.reviews.of_round(1))
    assert stored == {}


async def test_reviewing_first_makes_a_later_answer_late_and_freezes_edits(
    core, platform, monday_morning
):
    thread, at = await a_round_with_two_answers(core, platform, monday_morning)
    assert (await run(core, member("dave"), "review 1 1 senior", at)).ok
    late = await answer(core, member("dave"), thread, "m3", "Now that I saw the rubric...", at)
    assert late is not None and late.late and late.after_review
    assert (await run(core, member("bob"), "review 2 1 senior", at)).ok
    kept = await answers.edit_message(
        core, place(thread), "m1", "A rubric-shaped answer", at, member("bob")
    )
    assert kept is answers.Edit.KEPT_AFTER_REVIEW
    added = await answer(core, member("bob"), thread, "m4", "and the rubric's point 3", at)
    assert added is not None and added.after_review and not added.created
    text = await core.db.run(lambda uow: uow.answers.get(1))
    assert text is not None and text.text == "Pause the job, then refund."


async def test_reviewers_are_named_only_where_the_channel_says_so(core, platform, monday_morning):
    _thread, at = await a_round_with_two_answers(core, platform, monday_morning)
    admin_ = member("admin", admin_=True)
    assert not (await run(core, admin_, "admin reviewers everyone", at)).ok
    assert (await run(core, admin_, "admin reviewers public", at)).ok
    assert (await run(core, member("dave"), "review 1 1,2 senior", at)).ok
    await tick(core, platform, at + DAY)
    results = platform.of_type(ResultsCard)[0].card
    assert "Reviewers of answer 1: dave: 1,2 senior" in results.reviews


async def test_self_review_feeds_the_profile_at_half_weight_and_delete_forgets(
    core, platform, monday_morning
):
    await register(core, monday_morning)
    at = monday_morning
    drill = await run(core, member("bob"), "drill live-debugging", at)
    assert drill.ok
    round_id = drill.card.round_id  # type: ignore[union-attr]
    receipt = await answers.submit_answer(core, member("bob"), round_id, "m1", "Roll back.", at)
    assert receipt is not None
    reply = await run(core, member("bob"), "review self 1,2,3 senior", at)
    assert reply.ok and "half weight" in said(reply)
    profile = said(await run(core, member("bob"), "profile", at))
    assert "Live debugging:" in profile and "Reviews given: 0." in profile
    assert "No reviewed answers yet" not in profile
    warned = await run(core, member("bob"), "profile delete", at)
    assert "profile delete confirm" in said(warned)
    history = await core.db.run(lambda uow: uow.reviews.history(1))
    assert [(h.covered, h.reviewers) for h in history] == [(frozenset({1, 2, 3}), 0)]
    gone = await run(core, member("bob"), "profile delete confirm", at)
    assert said(gone).startswith("Deleted 1 reviews")
    assert "No reviewed answers yet" in said(await run(core, member("bob"), "profile", at))


async def test_calibration_counts_reads_that_match_the_majority(core, platform, monday_morning):
    _thread, at = await a_round_with_two_answers(core, platform, monday_morning)
    for who, read in [("dave", "senior"), ("erin", "senior"), ("fay", "staff")]:
        assert (await run(core, member(who), f"review 1 1 {read}", at)).ok
    dave = said(await run(core, member("dave"), "profile", at))
    fay = said(await run(core, member("fay"), "profile", at))
    assert "Reviews given: 1; your reads matched the majority 100% of 1 times." in dave
    assert "matched the majority 0% of 1 times" in fay


async def test_drill_with_no_kind_follows_the_schedule_and_explains_it(
    core, platform, monday_morning
):
    channel = await register(core, monday_morning)
    admin_ = member("admin", admin_=True)
    assert (await run(core, admin_, "admin kinds live-debugging,code-review", monday_morning)).ok
    at = monday_morning
    first = await run(core, member("bob"), "drill live-debugging", at)
    receipt = await answers.submit_answer(
        core,
        member("bob"),
        first.card.round_id,
        "m1",
        "Roll back.",
        at,  # type: ignore[union-attr]
    )
    assert receipt is not None
    explained = said(await run(core, member("bob"), "drill next", at))
    assert explained.startswith("Next for you: Code review") and "not practised it yet" in explained
    due = said(await run(core, member("bob"), "drill due", at))
    assert "Code review: now" in due and "Live debugging" in due
    picked = await run(core, member("bob"), "drill", at)
    assert picked.card.drill.kind == "code-review"  # type: ignore[union-attr]
    daily = await core.db.run(lambda uow: uow.rounds.open_daily_drills(channel.id))
    assert picked.card.drill.id not in daily  # type: ignore[union-attr]
    assert (await reload(core)).id == channel.id
