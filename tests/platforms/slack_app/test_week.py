"""A scripted week on Slack, like the console's ``week.txt``: the real bolt app over HTTP with
signed requests, the fake Slack, the test database and a simulated clock driving the sweep.

Mon 2026-11-23 08:00 UTC: alice (a workspace admin) sets up #drills; bob, carol, dave and erin
answer in threads and vote with buttons; the week ends with Monday's weekly leaderboard.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.storage.tables import answers, slack_events
from tests.fakes.slack import event_callback, message_changed_event
from tests.platforms.slack_app.conftest import Driver, payload
from tests.support.rows import count_rows


async def _set_up_channel(driver: Driver) -> None:
    registered = await driver.command("alice", "admin channel")
    assert registered is None  # a public reply: posted in the channel, not privately
    assert driver.fake.messages(driver.channel)[0].text.startswith("This channel is now a drill")
    assert await driver.command("alice", "admin timezone Europe/London") is None
    assert await driver.command("alice", "admin time 09:30") is None
    assert await driver.command("alice", "admin min-length 12") is None  # short answers count
    refused = await driver.command("dave", "admin time 06:00")
    assert refused is not None and refused.body["response_type"] == "ephemeral"
    assert refused.body["text"].startswith("Only server admins")
    bad = await driver.command("alice", "admin time 25:00")
    assert bad is not None and "'25:00' is not a time" in bad.body["text"]


async def _monday_answers(driver: Driver, thread: str) -> dict[str, str]:
    refs = {
        "bob": await driver.say(
            "bob", "Mitigate first: pause the job. <!channel> &amp; co.", thread
        ),
        "carol": await driver.say("carol", "I would check idempotency per customer.", thread),
    }
    refs["bob-2"] = await driver.say("bob", "And tell support what to say.", thread)
    noise = payload("bot_message_in_thread")
    noise.update(channel=driver.channel, thread_ts=thread)
    await driver.send(event_callback(noise))
    await driver.say("erin", "hello channel")  # not in a thread: not an answer
    return refs


async def _monday_votes(driver: Driver, thread: str) -> None:
    buttons = driver.vote_buttons(thread)
    assert sorted(buttons) == [1, 2]  # one Vote prompt per new answer, none for bob's 2nd message
    await driver.click("dave", "vote", "1", buttons[1])
    assert driver.ephemerals_to("dave")[-1] == "Vote recorded for bob's answer (now 1)."
    await driver.click("bob", "vote", "1", buttons[1])
    assert driver.ephemerals_to("bob")[-1] == "You cannot vote for your own answer."
    await driver.click("erin", "vote", "1", buttons[1])
    await driver.click("erin", "vote", "2", buttons[2])
    await driver.click("carol", "vote", "1", buttons[1])
    assert all(e.thread_ts == thread for e in driver.fake.ephemerals)


async def _edit_and_retry(driver: Driver, thread: str, carol_ts: str) -> None:
    edit = message_changed_event(
        ts=carol_ts,
        text="I would check idempotency per customer and billing period, then refund.",
        previous_text="I would check idempotency per customer.",
        user=driver.users["carol"],
        channel=driver.channel,
        thread_ts=thread,
    )
    await driver.send(event_callback(edit))
    first = await driver.say("erin", "Look at the DST change first.", thread, event_id="EvERIN0001")
    retried = await driver.say(
        "erin",
        "Look at the DST change first.",
        thread,
        ts=first,
        event_id="EvERIN0001",
        retry_num=1,
    )
    assert retried == first
    assert len(driver.vote_buttons(thread)) == 3  # erin's answer once, its retry dropped


async def test_a_week_on_slack(driver: Driver, database) -> None:
    await _set_up_channel(driver)
    await driver.advance(timedelta(hours=1, minutes=30))  # Mon 09:30 Europe/London
    (monday,) = driver.drills()
    assert monday.text.startswith("*") and monday.blocks[0]["type"] == "header"
    refs = await _monday_answers(driver, monday.ts)
    await _monday_votes(driver, monday.ts)
    await _edit_and_retry(driver, monday.ts, refs["carol"])
    assert await count_rows(database, slack_events) == 7  # each event once; the retry was dropped
    assert await count_rows(database, answers) == 3

    driver.fake.fail_next("chat.postMessage", "ratelimited", retry_after=1)
    await driver.advance(timedelta(days=1))  # Tue 09:30: Monday's results, Tuesday's drill
    results = driver.fake.thread(driver.channel, monday.ts)[-1]
    assert results.blocks[0]["text"]["text"].startswith("Results: ")
    top = results.blocks[2]["text"]["text"]
    assert top.startswith("*Top answers*\n1. *bob* (answer #1, 3 votes): Mitigate first")
    assert "pause the job. @\u200bchannel &amp; co. And tell" in top  # escaped: pings nobody
    assert "billing period, then refund" in top  # carol's edit
    assert driver.fake.calls_to("chat.postMessage")[-3].status == 429  # retried by the SDK
    assert len(driver.drills()) == 2

    await _tuesday(driver, monday.ts, driver.drills()[-1].ts)
    for _ in range(5):  # Wednesday to Sunday: bob keeps his streak
        await driver.advance(timedelta(days=1))
        detail = "Start with the metrics, then the logs, then the last deploy and its config."
        await driver.say("bob", detail, driver.drills()[-1].ts)
    await driver.advance(timedelta(hours=23, minutes=30))  # Mon 30 Nov 09:00
    weekly = [m for m in driver.fake.messages(driver.channel) if m.text.startswith("*Weekly lead")]
    assert len(weekly) == 1 and weekly[0].thread_ts is None
    assert "1. *bob*" in weekly[0].blocks[1]["text"]["text"]
    [picture] = driver.fake.uploads.values()  # shared in the channel after the text
    assert picture.channel == driver.channel and picture.filename == "leaderboard-2026-11-23.png"
    assert picture.data is not None and picture.data.startswith(b"\x89PNG")
    [ask] = driver.fake.calls_to("files.getUploadURLExternal")
    assert ask.params["alt_txt"].startswith("Weekly leaderboard: 23 Nov–29 Nov, top ")
    assert await driver.command("alice", "admin pause") is None
    assert driver.fake.messages(driver.channel)[-1].text.startswith("Paused")


async def _tuesday(driver: Driver, monday_ts: str, tuesday_ts: str) -> None:
    await driver.say("bob", "a late thought", monday_ts)
    assert len(driver.vote_buttons(monday_ts)) == 3  # a late answer gets no Vote button
    await driver.say("carol", "Roll out by namespace, watch handshake errors.", tuesday_ts)
    bob_ts = await driver.say("bob", "Prove it with mesh telemetry per service pair.", tuesday_ts)
    deleted = payload("message_deleted_in_thread")
    deleted.update(channel=driver.channel, deleted_ts=bob_ts)
    deleted["previous_message"].update(ts=bob_ts, thread_ts=tuesday_ts, user=driver.users["bob"])
    await driver.send(event_callback(deleted))
    async with driver.core.db.engine.connect() as connection:
        withdrawn = (
            await connection.execute(select(answers.c.withdrawn).where(answers.c.id == 6))
        ).scalar_one()
    assert withdrawn is True
    streak = await driver.command("bob", "streak")
    assert streak is not None and "streak 2 days" in streak.body["text"]
    board = await driver.command("bob", "leaderboard")
    assert board is not None and board.body["blocks"][0]["type"] == "header"
    assert (await driver.command("bob", "leaderboard all-time")) is not None
    vote = await driver.command("dave", "vote 1")  # numbers count within today's round
    assert vote is not None and vote.body["text"] == "Vote recorded for carol's answer (now 1)."
    help_text = await driver.command("erin", "help")
    assert (
        help_text is not None
        and "slash commands do not work inside threads" in help_text.body["text"]
    )
