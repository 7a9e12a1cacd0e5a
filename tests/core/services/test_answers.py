from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.core.model import Actor
from bot.core.services import answers
from bot.core.text import MAX_ANSWER_CHARS
from tests.core.services.helpers import (
    PLATFORM,
    SPACE,
    answer,
    drill_threads,
    member,
    place,
    register,
    tick,
)

POST = timedelta(hours=1)
LONG = (
    "Roll back the deploy first, then compare error rates per region before and after it went out."
)


async def opened(core, platform, monday_morning):  # type: ignore[no-untyped-def]
    await register(core, monday_morning)
    await tick(core, platform, monday_morning + POST)
    return drill_threads(platform)[0], monday_morning + POST


async def tallies(core, round_id: int = 1):  # type: ignore[no-untyped-def]
    return await core.db.run(lambda uow: uow.answers.tallies(round_id))


async def test_several_messages_join_into_one_answer(core, platform, monday_morning):
    thread, at = await opened(core, platform, monday_morning)
    first = await answer(core, member("bob"), thread, "m1", "Check the deploy log.", at)
    second = await answer(
        core, member("bob"), thread, "m2", "Then roll back.", at + timedelta(minutes=5)
    )
    assert first is not None and first.created and not first.late
    assert second is not None and not second.created and second.answer_id == first.answer_id
    [tally] = await tallies(core)
    assert tally.text == "Check the deploy log.\nThen roll back."


async def test_edit_updates_and_delete_withdraws(core, platform, monday_morning):
    thread, at = await opened(core, platform, monday_morning)
    bob = member("bob")
    await answer(core, bob, thread, "m1", "first draft", at)
    edited = await answers.edit_message(core, place(thread), "m1", "final answer", at, bob)
    assert edited is answers.Edit.UPDATED
    assert [t.text for t in await tallies(core)] == ["final answer"]
    assert await answers.delete_message(core, place(thread), "m1", at) is answers.Edit.UPDATED
    assert await tallies(core) == []
    again = await answers.delete_message(core, place(thread), "m1", at)
    assert again is answers.Edit.ALREADY_DELETED  # deleting twice says so once
    missing = await answers.delete_message(core, place(thread), "not-an-answer", at)
    assert missing is answers.Edit.NOT_AN_ANSWER


async def test_only_the_author_may_edit_and_other_channels_threads_are_ignored(
    core, platform, monday_morning
):
    thread, at = await opened(core, platform, monday_morning)
    await answer(core, member("bob"), thread, "m1", "bob's own words", at)
    forged = await answers.edit_message(core, place(thread), "m1", "carol's", at, member("carol"))
    assert forged is answers.Edit.NOT_YOURS
    await register(core, monday_morning, channel="chan-2")
    elsewhere = place(thread, channel="chan-2")
    moved = await answers.edit_message(core, elsewhere, "m1", "rewritten", at, member("bob"))
    assert moved is answers.Edit.NOT_AN_ANSWER
    assert await answer(core, member("bob"), thread, "m2", "x", at) is not None
    assert await answers.receive_message(core, member("dan"), elsewhere, "m3", "hi", at) is None
    assert [t.text for t in await tallies(core)] == ["bob's own words\nx"]


async def test_a_closed_round_keeps_the_answer_it_judged(core, platform, monday_morning):
    thread, at = await opened(core, platform, monday_morning)
    bob = member("bob")
    await answer(core, bob, thread, "m1", "the answer that was judged", at)
    later = at + timedelta(hours=25)
    await tick(core, platform, later)
    edited = await answers.edit_message(core, place(thread), "m1", "rewritten", later, bob)
    deleted = await answers.delete_message(core, place(thread), "m1", later)
    assert (edited, deleted) == (answers.Edit.KEPT_AS_JUDGED, answers.Edit.KEPT_AS_JUDGED)
    stored = await core.db.run(lambda uow: uow.answers.get(1))
    assert (
        stored is not None and stored.text == "the answer that was judged" and not stored.withdrawn
    )


async def test_late_answers_are_kept_marked_and_score_nothing(core, platform, monday_morning):
    thread, at = await opened(core, platform, monday_morning)
    await tick(core, platform, at + timedelta(hours=24))
    receipt = await answer(
        core, member("bob"), thread, "m9", "after the bell", at + timedelta(hours=25)
    )
    assert receipt is not None and receipt.late
    assert await tallies(core) == []
    stored, standings = await core.db.run(
        lambda uow: (uow.answers.get(receipt.answer_id), uow.scores.standings(1))
    )
    assert stored is not None and stored.late and stored.text == "after the bell"
    assert standings == []


async def test_bots_empty_text_and_strangers_threads_are_ignored(core, platform, monday_morning):
    thread, at = await opened(core, platform, monday_morning)
    assert await answer(core, member("ci", bot=True), thread, "m1", "beep", at) is None
    assert await answer(core, member("bob"), thread, "m2", "   ", at) is None
    assert await answer(core, member("bob"), "some-other-thread", "m3", "hi", at) is None
    assert await tallies(core) == []


async def test_a_message_delivered_twice_is_stored_once(core, platform, monday_morning):
    thread, at = await opened(core, platform, monday_morning)
    assert await answer(core, member("bob"), thread, "m1", "once", at) is not None
    assert await answer(core, member("bob"), thread, "m1", "once", at) is None
    assert [t.text for t in await tallies(core)] == ["once"]


async def test_oversized_answers_are_stored_up_to_the_maximum(core, platform, monday_morning):
    thread, at = await opened(core, platform, monday_morning)
    receipt = await answer(core, member("bob"), thread, "m1", "x" * (MAX_ANSWER_CHARS + 500), at)
    assert receipt is not None and receipt.truncated
    [tally] = await tallies(core)
    assert len(tally.text) == MAX_ANSWER_CHARS


async def test_first_answer_of_a_day_extends_the_streak_once(core, platform, monday_morning):
    thread, at = await opened(core, platform, monday_morning)
    await answer(core, member("bob"), thread, "m1", LONG, at)
    await answer(core, member("bob"), thread, "m2", LONG, at)
    state = await core.db.run(lambda uow: uow.streaks.state(1, uow.members.ensure(member("bob"))))
    assert (state.current, state.longest, state.last_day.isoformat()) == (1, 1, "2026-11-23")  # type: ignore[union-attr]


async def test_short_answers_are_kept_but_earn_nothing_by_default(core, platform, monday_morning):
    await register(core, monday_morning, min_length=None)  # the default: 80 characters
    await tick(core, platform, monday_morning + POST)
    thread, at = drill_threads(platform)[0], monday_morning + POST
    short = await answer(core, member("bob"), thread, "m1", "roll back", at)
    assert short is not None and short.too_short == 80
    bob = await core.db.run(lambda uow: uow.members.ensure(member("bob")))
    assert (await core.db.run(lambda uow: uow.streaks.state(1, bob))).current == 0
    longer = await answer(core, member("bob"), thread, "m2", LONG, at)  # joins and passes 80
    assert longer is not None and longer.too_short == 0
    assert (await core.db.run(lambda uow: uow.streaks.state(1, bob))).current == 1


async def streak_log(core, who: str):  # type: ignore[no-untyped-def]
    member_id = await core.db.run(lambda uow: uow.members.ensure(member(who)))
    return await core.db.run(lambda uow: uow.streaks.log(1, member_id))


async def test_one_first_message_delivered_five_times_at_once_is_stored_once(
    core, platform, monday_morning
):
    thread, at = await opened(core, platform, monday_morning)
    receipts = await asyncio.gather(
        *(answer(core, member("bob"), thread, "m1", LONG, at) for _ in range(5))
    )
    started = [r for r in receipts if r is not None]
    assert len(started) == 1 and started[0].created and started[0].number == 1
    assert [t.text for t in await tallies(core)] == [LONG]
    assert [change.kind.value for change in await streak_log(core, "bob")] == ["answered"]


async def test_a_members_first_messages_sent_at_once_join_into_one_answer(
    core, platform, monday_morning
):
    thread, at = await opened(core, platform, monday_morning)
    parts = [f"part {n}: {LONG}" for n in range(4)]
    receipts = await asyncio.gather(
        *(answer(core, member("bob"), thread, f"m{n}", part, at) for n, part in enumerate(parts))
    )
    assert all(r is not None for r in receipts)
    assert sum(r.created for r in receipts if r is not None) == 1
    [tally] = await tallies(core)
    assert sorted(tally.text.split("\n")) == sorted(parts)
    assert [change.kind.value for change in await streak_log(core, "bob")] == ["answered"]


async def test_strangers_answering_at_once_are_numbered_and_credited(
    core, platform, monday_morning
):
    thread, at = await opened(core, platform, monday_morning)
    names = [f"m{n}" for n in range(12)]
    receipts = await asyncio.gather(
        *(answer(core, member(name), thread, name, LONG, at) for name in names)
    )
    assert all(r is not None and r.created for r in receipts)
    assert len(await tallies(core)) == len(names)
    for name in names:
        assert [change.kind.value for change in await streak_log(core, name)] == ["answered"]


async def test_a_renamed_member_keeps_their_row_their_streak_and_takes_the_new_name(
    core, platform, monday_morning
):
    thread, at = await opened(core, platform, monday_morning)
    await answer(core, member("bob"), thread, "m1", LONG, at)
    tuesday = at + timedelta(days=1)
    await tick(core, platform, tuesday)
    renamed = Actor(member("bob").platform, member("bob").space_ref, "u-bob", "Robert")
    receipt = await answers.receive_message(
        core, renamed, place(drill_threads(platform)[1]), "m2", LONG, tuesday
    )
    assert receipt is not None and receipt.created
    [tally] = await tallies(core, receipt.round_id)
    bob = await core.db.run(lambda uow: uow.members.find(PLATFORM, SPACE, "u-bob"))
    assert tally.member_id == bob and tally.display_name == "Robert"
    state = await core.db.run(lambda uow: uow.streaks.state(1, bob))
    assert (state.current, state.last_day.isoformat()) == (2, "2026-11-24")  # type: ignore[union-attr]
