from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.core.cards import VoteReceipt
from bot.core.services.votes import toggle_vote
from tests.core.services.helpers import answer, drill_threads, member, place, register, tick

POST = timedelta(hours=1)


async def with_answer(core, platform, monday_morning):  # type: ignore[no-untyped-def]
    await register(core, monday_morning)
    at = monday_morning + POST
    await tick(core, platform, at)
    receipt = await answer(
        core, member("bob"), drill_threads(platform)[0], "m1", "Roll back, then look.", at
    )
    assert receipt is not None
    return receipt.answer_id, at


async def votes_on(core, answer_id: int) -> int:  # type: ignore[no-untyped-def]
    return await core.db.run(lambda uow: uow.votes.count(answer_id))


async def test_voting_again_withdraws_the_vote(core, platform, monday_morning):
    answer_id, at = await with_answer(core, platform, monday_morning)
    first = await toggle_vote(core, member("alice"), place(), answer_id, at)
    second = await toggle_vote(core, member("alice"), place(), answer_id, at)
    assert isinstance(first.card, VoteReceipt) and first.card.voted and first.card.votes == 1
    assert isinstance(second.card, VoteReceipt) and not second.card.voted and second.card.votes == 0


async def test_refusals_change_nothing(core, platform, monday_morning):
    answer_id, at = await with_answer(core, platform, monday_morning)
    own = await toggle_vote(core, member("bob"), place(), answer_id, at)
    bot = await toggle_vote(core, member("helper", bot=True), place(), answer_id, at)
    missing = await toggle_vote(core, member("alice"), place(), 999, at)
    closed = await toggle_vote(core, member("alice"), place(), answer_id, at + timedelta(hours=24))
    assert [r.ok for r in (own, bot, missing, closed)] == [False] * 4
    assert "own answer" in own.card.text  # type: ignore[union-attr]
    assert "closed" in closed.card.text  # type: ignore[union-attr]
    assert await votes_on(core, answer_id) == 0


async def test_two_hundred_members_voting_at_once_are_all_counted(core, platform, monday_morning):
    answer_id, at = await with_answer(core, platform, monday_morning)
    replies = await asyncio.gather(
        *(toggle_vote(core, member(f"m{i}"), place(), answer_id, at) for i in range(200))
    )
    assert all(reply.ok for reply in replies)
    assert await votes_on(core, answer_id) == 200


async def test_one_member_clicking_twenty_times_at_once_ends_consistent(
    core, platform, monday_morning
):
    answer_id, at = await with_answer(core, platform, monday_morning)
    replies = await asyncio.gather(
        *(toggle_vote(core, member("alice"), place(), answer_id, at) for _ in range(20))
    )
    assert all(reply.ok for reply in replies)
    casts = sum(1 for r in replies if r.card.voted)  # type: ignore[union-attr]
    assert casts == 10  # toggles run one after another: on, off, on, off ...
    assert await votes_on(core, answer_id) == 0


async def test_twenty_clicks_with_their_own_ids_at_once_toggle_one_after_another(
    core, platform, monday_morning
):
    answer_id, at = await with_answer(core, platform, monday_morning)
    clicks = (
        toggle_vote(core, member("alice"), place(), answer_id, at, request_key=f"click-{n}")
        for n in range(20)
    )
    replies = await asyncio.gather(*clicks)
    casts = sum(1 for r in replies if r.card.voted)  # type: ignore[union-attr]
    counts = sorted(r.card.votes for r in replies)  # type: ignore[union-attr]
    assert casts == 10 and await votes_on(core, answer_id) == 0
    assert counts == [0] * 10 + [1] * 10  # each reply tells the count its own toggle left


async def test_one_click_delivered_five_times_at_once_counts_once(core, platform, monday_morning):
    answer_id, at = await with_answer(core, platform, monday_morning)
    same = (
        toggle_vote(core, member("alice"), place(), answer_id, at, request_key="click-1")
        for _ in range(5)
    )
    replies = await asyncio.gather(*same)
    assert all(r.card.voted and r.card.votes == 1 for r in replies)  # type: ignore[union-attr]
    assert await votes_on(core, answer_id) == 1


async def test_a_redelivered_click_is_counted_once(core, platform, monday_morning):
    answer_id, at = await with_answer(core, platform, monday_morning)
    first = await toggle_vote(core, member("alice"), place(), answer_id, at, request_key="click-1")
    again = await toggle_vote(core, member("alice"), place(), answer_id, at, request_key="click-1")
    assert first.card.voted and again.card.voted  # type: ignore[union-attr]
    assert await votes_on(core, answer_id) == 1
    withdrawn = await toggle_vote(
        core, member("alice"), place(), answer_id, at, request_key="click-2"
    )
    assert not withdrawn.card.voted and await votes_on(core, answer_id) == 0  # type: ignore[union-attr]
