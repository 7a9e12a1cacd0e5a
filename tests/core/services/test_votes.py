from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.core.cards import VoteReceipt
from bot.core.services.votes import toggle_vote
from bot.storage.tables import answers, rounds
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


# Each state of an answer and its round, and whether a vote on it is refused. On PostgreSQL the
# click's statement mirrors the rules in SQL (to need one round trip): a refused vote must leave
# nothing behind, and an allowed one must count, whichever side judged it.
STATES = {
    "open": ({}, {}, None),
    "withdrawn": ({"withdrawn": True}, {}, "withdrawn"),
    "late": ({"late": True}, {}, "after the round closed"),
    "on-demand": ({}, {"mode": "on_demand"}, "On-demand"),
    "closed": ({}, {"status": "closed"}, "Voting has closed"),
    "skipped": ({}, {"status": "skipped"}, "Voting has closed"),
    "past its end": ({}, {"closes_at": timedelta(minutes=-1)}, "Voting has closed"),
    "blind": ({}, {"answers_close_at": timedelta(minutes=1)}, "blind"),
    "revealed": ({}, {"answers_close_at": timedelta(minutes=-1)}, None),
}


@pytest.mark.parametrize("state", STATES)
async def test_the_vote_rules_hold_whichever_side_judges_them(
    core, platform, monday_morning, state
):
    answer_id, at = await with_answer(core, platform, monday_morning)
    answer_values, round_values, refusal = STATES[state]
    await _set_state(core, answer_id, answer_values, round_values, at)
    reply = await toggle_vote(core, member("alice"), place(), answer_id, at, f"click-{state}")
    assert reply.ok is (refusal is None)
    if refusal is not None:
        assert refusal in reply.card.text  # type: ignore[union-attr]
    assert await votes_on(core, answer_id) == (0 if refusal else 1)


async def test_a_button_from_another_channel_records_nothing(core, platform, monday_morning):
    answer_id, at = await with_answer(core, platform, monday_morning)
    reply = await toggle_vote(core, member("alice"), place(channel="elsewhere"), answer_id, at)
    assert not reply.ok and "not in a drill of this channel" in reply.card.text  # type: ignore[union-attr]
    assert await votes_on(core, answer_id) == 0


async def _set_state(core, answer_id, answer_values, round_values, at):  # type: ignore[no-untyped-def]
    values = {k: at + v if isinstance(v, timedelta) else v for k, v in round_values.items()}

    def work(uow):  # type: ignore[no-untyped-def]
        c = uow.connection
        if answer_values:
            c.execute(update(answers).where(answers.c.id == answer_id).values(**answer_values))
        round_id = select(answers.c.round_id).where(answers.c.id == answer_id).scalar_subquery()
        if values:
            c.execute(update(rounds).where(rounds.c.id == round_id).values(**values))
        uow.commit()

    await core.db.run(work)
