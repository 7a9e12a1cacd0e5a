"""Facts on request: ``ask`` answers from the open round's drill, privately, and records it."""

from __future__ import annotations

from datetime import timedelta

from bot.core.cards import Notice
from bot.core.services.commands import handle_command
from bot.core.services.facts import pick_fact
from tests.core.services.helpers import drill_threads, member, place, register, tick

NINE = timedelta(hours=1)


async def ask(core, who, text, now, thread=None):  # type: ignore[no-untyped-def]
    reply = await handle_command(core, member(who), place(thread), f"ask {text}", "r", now)
    assert isinstance(reply.card, Notice) and reply.private
    return reply


async def open_live_debugging_round(core, platform, now):  # type: ignore[no-untyped-def]
    admin = member("alice", admin_=True)
    await register(core, now)
    await handle_command(core, admin, place(), "admin kinds live-debugging", "k", now)
    await tick(core, platform, now + NINE)
    [thread] = drill_threads(platform)
    round_ = await core.db.run(lambda uow: uow.rounds.by_thread(thread))
    return thread, core.bank.drills[round_.drill_id], round_


async def test_ask_lists_then_answers_by_number_and_records_it(core, platform, monday_morning):
    thread, drill, round_ = await open_live_debugging_round(core, platform, monday_morning)
    now = monday_morning + NINE
    menu = await ask(core, "bob", "", now, thread)
    assert all(f"{n}. {fact.ask}" in menu.card.text for n, fact in enumerate(drill.facts, 1))
    second = await ask(core, "bob", "2", now, thread)
    assert second.card.text == f"Q2: {drill.facts[1].ask}\nA: {drill.facts[1].answer}"
    await ask(core, "bob", "#2", now, thread)  # asking again records nothing new
    bob = await core.db.run(lambda uow: uow.members.ensure(member("bob")))
    asked = await core.db.run(lambda uow: uow.rounds.questions_asked(round_.id, bob))
    assert asked == [1]


async def test_ask_in_words_finds_the_closest_question(core, platform, monday_morning):
    _, drill, _ = await open_live_debugging_round(core, platform, monday_morning)
    question = drill.facts[-1].ask
    reply = await ask(core, "carol", question.upper(), monday_morning + NINE)  # from the channel
    assert reply.card.text.startswith(f"Q{len(drill.facts)}: {question}")
    assert pick_fact(drill, "zebra migration patterns") is None


async def test_unknown_questions_and_numbers_get_the_menu(core, platform, monday_morning):
    thread, drill, _ = await open_live_debugging_round(core, platform, monday_morning)
    now = monday_morning + NINE
    too_far = await ask(core, "bob", "99", now, thread)
    assert too_far.card.text.startswith("There is no question 99. The interviewer can tell you:")
    odd = await ask(core, "bob", "٣", now, thread)  # a non-ASCII digit is words, not a number
    assert "The interviewer has no answer to '٣'" in odd.card.text
    assert "1. " + drill.facts[0].ask in odd.card.text


async def test_no_open_round_or_another_channels_thread_is_refused(core, platform, monday_morning):
    await register(core, monday_morning)
    nothing = await ask(core, "bob", "1", monday_morning)
    assert not nothing.ok and "no open drill here" in nothing.card.text
    thread, _, _ = await open_live_debugging_round(core, platform, monday_morning)
    await register(core, monday_morning, channel="chan-2")
    elsewhere = await handle_command(
        core, member("bob"), place(thread, channel="chan-2"), "ask 1", "r", monday_morning + NINE
    )
    assert not elsewhere.ok and "no open drill here" in elsewhere.card.text  # type: ignore[union-attr]
