"""The fair-game rules through the real Bolt app against the fake Slack: holidays and unskip,
rest days and commands from another channel, short answers, numbered votes, forged edits and
edits after the results."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.storage.tables import answers
from tests.fakes.slack import event_callback, message_changed_event
from tests.platforms.slack_app.conftest import Driver

LONG = "Freeze deploys, read the error budget, then roll back the canary and compare error rates."


async def _private(driver: Driver, user: str, text: str, channel: str | None = None) -> str:
    reply = await driver.command(user, text, channel)
    assert reply is not None and reply.body["response_type"] == "ephemeral", text
    return str(reply.body["text"])


async def test_holidays_unskip_and_rest_days_on_slack(driver: Driver) -> None:
    await driver.command("alice", "admin channel")
    assert await driver.command("alice", "admin holiday 2026-11-24") is None  # Tuesday, public
    shown = await _private(driver, "alice", "admin show")
    assert "Holidays: Tue 24 Nov" in shown and "Next drill: Mon 23 Nov 09:00" in shown
    assert await driver.command("alice", "admin skip") is None  # Monday
    assert await driver.command("alice", "admin unskip") is None
    assert "Next drill: Mon 23 Nov 09:00" in await _private(driver, "alice", "admin show")
    lobby = driver.fake.add_channel("lobby")
    rest = await _private(driver, "bob", "streak rest 2d", channel=lobby)  # from another channel
    assert rest.startswith("Rest days Mon 23 Nov–Tue 24 Nov")
    await driver.advance(timedelta(days=2, hours=1))  # Mon and Wed post; Tuesday is a holiday
    assert len(driver.drills()) == 2


async def test_short_answers_numbered_votes_and_edits_after_the_results(driver: Driver) -> None:
    await driver.command("alice", "admin channel")
    await driver.advance(timedelta(hours=1))
    [drill] = driver.drills()
    await driver.say("carol", "too short", drill.ts)
    assert "earn no points" in driver.ephemerals_to("carol")[-1]
    bob_ts = await driver.say("bob", LONG, drill.ts)
    voted = await _private(driver, "dave", "vote 2")
    assert voted == "Vote recorded for bob's answer (now 1)."
    forged = message_changed_event(
        ts=bob_ts,
        text="rewritten by someone else",
        previous_text=LONG,
        user=driver.users["carol"],
        channel=driver.channel,
        thread_ts=drill.ts,
    )
    await driver.send(event_callback(forged))
    assert await _text_of(driver, 2) == LONG  # only the author may change an answer
    await driver.advance(timedelta(days=1))  # the round closes and its results are out
    late_edit = message_changed_event(
        ts=bob_ts,
        text="a better answer, written after the results",
        previous_text=LONG,
        user=driver.users["bob"],
        channel=driver.channel,
        thread_ts=drill.ts,
    )
    await driver.send(event_callback(late_edit))
    assert await _text_of(driver, 2) == LONG  # the answer judged stays as it was


async def _text_of(driver: Driver, answer_id: int) -> str:
    query = select(answers.c.text).where(answers.c.id == answer_id)
    return str(await driver.core.db.run(lambda uow: uow.connection.execute(query).scalar_one()))
