"""Blind rounds on the real database: private answers, one reveal, then votes and reviews."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

from bot.core.cards import BallotCard, DrillCard, Notice, ResultsCard
from bot.core.services import answers
from bot.core.services.blind import answer_round, drill_to_answer, reveal_due_rounds
from tests.core.services.helpers import drill_threads, member, place, register, tick
from tests.core.services.test_reviews import run, said

POST = timedelta(hours=1)
WINDOW = timedelta(hours=24)


async def blind_channel(core, monday):  # type: ignore[no-untyped-def]
    await register(core, monday)
    admin_ = member("admin", admin_=True)
    for text in ("admin blind on", "admin review-window 6h"):
        assert (await run(core, admin_, text, monday)).ok


async def test_answers_stay_private_until_one_reveal_then_votes_and_reviews_count(
    core, platform, monday_morning
):
    await blind_channel(core, monday_morning)
    at = monday_morning + POST
    await tick(core, platform, at)
    drill = platform.of_type(DrillCard)[0].card
    assert drill.answers_close_at == drill.closes_at - timedelta(hours=6)
    thread = drill_threads(platform)[0]

    in_thread = await answers.receive_message(
        core, member("bob"), place(thread), "m1", "x" * 90, at
    )
    assert in_thread is not None and in_thread.blind
    assert await core.db.run(lambda uow: uow.answers.tallies(1)) == []
    bob = await run(
        core, member("bob"), "answer Pause the job and refund the duplicates.", at, place(thread)
    )
    carol = await run(core, member("carol"), "answer Add an idempotency key per period.", at)
    assert "Recorded privately as answer #1" in said(bob) and "#2" in said(carol)
    assert not platform.of_type(BallotCard)  # nothing shown before the reveal
    early = [
        await run(core, member("dave"), t, at, place(thread))
        for t in ("vote 1", "review 1 1 senior")
    ]
    assert all(not r.ok and "blind" in said(r) for r in early)

    reveal = at + WINDOW
    await tick(core, platform, reveal)
    ballots = platform.of_type(BallotCard)
    assert [(b.card.number, b.card.text) for b in ballots] == [
        (1, "Pause the job and refund the duplicates."),
        (2, "Add an idempotency key per period."),
    ]
    assert any("revealed in its thread" in d.card.text for d in platform.of_type(Notice))
    late = await run(
        core, member("erin"), "answer Too late but here anyway.", reveal, place(thread)
    )
    assert "late answer #3" in said(late)
    assert (await run(core, member("dave"), "vote 1", reveal, place(thread))).ok
    assert (await run(core, member("dave"), "review 2 1 senior", reveal, place(thread))).ok

    await tick(core, platform, reveal + timedelta(hours=6))
    results = platform.of_type(ResultsCard)[0].card
    assert results.answers == 2 and results.top[0].display_name == "bob"
    assert any(line.startswith("Answer 2 by carol, 1 review") for line in results.reviews)


async def test_a_reveal_is_claimed_once_under_concurrent_sweeps(core, platform, monday_morning):
    await blind_channel(core, monday_morning)
    at = monday_morning + POST
    await tick(core, platform, at)
    await run(core, member("bob"), "answer Pause the job and refund.", at)
    later = at + WINDOW
    revealed = await asyncio.gather(*(reveal_due_rounds(core, later) for _ in range(5)))
    assert sorted(round_id for ids in revealed for round_id in ids) == [1]
    await tick(core, platform, later)
    await tick(core, platform, later + timedelta(minutes=1))
    assert len(platform.of_type(BallotCard)) == 1


async def test_blind_off_keeps_thread_answers(core, platform, monday_morning):
    await blind_channel(core, monday_morning)
    assert (await run(core, member("admin", admin_=True), "admin blind off", monday_morning)).ok
    at = monday_morning + POST
    await tick(core, platform, at)
    thread = drill_threads(platform)[0]
    receipt = await answers.receive_message(
        core, member("bob"), place(thread), "m1", "Roll back.", at
    )
    assert receipt is not None and receipt.created and not receipt.blind and not receipt.hidden


async def test_commands_outside_the_thread_reach_the_revealed_round_not_the_next_private_one(
    core, platform, monday_morning
):
    """Slack runs no slash command in a thread: after the reveal, 'vote N' and 'review N' in the
    channel mean the round in its review window, not the next day's drill, still private."""
    await blind_channel(core, monday_morning)
    at = monday_morning + POST
    await tick(core, platform, at)
    await run(core, member("bob"), "answer Pause the job and refund the duplicates.", at)
    await run(core, member("carol"), "answer Add an idempotency key per period.", at)
    reveal = at + WINDOW
    await tick(core, platform, reveal)
    assert len(platform.of_type(DrillCard)) == 2  # Tuesday's blind drill is out, and private
    vote = await run(core, member("dave"), "vote 1", reveal)
    assert vote.ok and "bob's answer" in said(vote)
    review = await run(core, member("dave"), "review 2 1 senior", reveal)
    assert review.ok and said(review).startswith("Saved your review of answer 2")
    await run(core, member("erin"), "answer Tuesday: roll back first, then look.", reveal)
    tuesday = await run(core, member("dave"), "vote 1", reveal, place(drill_threads(platform)[1]))
    assert not tuesday.ok and "blind" in said(tuesday)  # in its own thread: still private


async def test_the_answer_button_opens_an_open_blind_drill_for_anyone_here(
    core, platform, monday_morning
):
    await blind_channel(core, monday_morning)
    at = monday_morning + POST
    await tick(core, platform, at)
    shown = await drill_to_answer(core, member("bob"), 1, at)
    assert isinstance(shown.card, DrillCard) and shown.card.answers_close_at == at + WINDOW
    reply = await answer_round(core, member("bob"), 1, "modal:V1", "Pause the job.", at)
    assert reply.ok and said(reply).startswith("Recorded privately as answer #1")
    closed = await drill_to_answer(core, member("bob"), 1, at + WINDOW + timedelta(hours=6))
    assert not closed.ok and "closed" in said(closed)
    not_blind = await drill_to_answer(core, member("bob"), 99, at)
    assert not not_blind.ok


async def test_a_form_answer_from_another_space_is_not_recorded(core, platform, monday_morning):
    """A form names its round by an id anyone can forge; a member of another workspace (or
    server) cannot answer this one's drill with it."""
    await blind_channel(core, monday_morning)
    at = monday_morning + POST
    await tick(core, platform, at)
    stranger = replace(member("mallory"), space_ref="another-space")
    assert await answers.submit_answer(core, stranger, 1, "modal:V9", "Hello.", at) is None
    reply = await answer_round(core, stranger, 1, "modal:V9", "Hello.", at)
    assert not reply.ok and await core.db.run(lambda uow: uow.answers.tallies(1)) == []
