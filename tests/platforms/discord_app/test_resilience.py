"""Restarts, reconnects, rate limits, missing permissions and intents, many guilds, shards."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

import discord
import pytest

from tests.fakes.discord import FakeInteraction, FakeMember
from tests.fakes.discord import permissions as perm
from tests.fakes.discord.gateway import INTENT_MESSAGE_CONTENT
from tests.platforms.discord_app.checks import assert_clean
from tests.platforms.discord_app.helpers import MESSAGES, Drive, answered, reply_of

NINE = timedelta(hours=1)  # monday_morning is 08:00 UTC; drills post at 09:00
HINT = "Drillbot needs Send Messages, Create Public Threads and Send Messages in Threads in #daily-drills"


async def _no_identify_delay(shard_id: int | None, *, initial: bool = False) -> None:
    return None


async def posted_in_channel(drive: Drive) -> int:
    path = f"/channels/{drive.hall.channel.id}/messages"
    return sum(r.path == path and r.status == 200 for r in drive.fake.requests_to("POST", MESSAGES))


async def answer_by_button(
    drive: Drive, message: dict[str, Any], member: FakeMember, text: str
) -> FakeInteraction:
    """Click the drill's Answer button, then submit the modal it opened."""
    custom_id = message["components"][0]["components"][0]["custom_id"]
    opened = await drive.click(message, custom_id, member)
    assert opened.modal is not None, opened.callbacks
    submitted = await drive.fake.submit_modal(opened.modal["custom_id"], member, {"answer": text})
    return await answered(submitted)


async def test_restart_mid_round_posts_nothing_twice_and_old_buttons_still_work(
    drive: Drive, monday_morning: datetime
) -> None:
    hall, fake = drive.hall, drive.fake
    await drive.start()
    await drive.admin("channel")
    await drive.sweep(monday_morning + NINE)
    post = (await drive.posts())["drill:1"]
    thread = drive.thread(post["thread_ref"])
    said = await drive.answer(thread, hall.alice, "Before the restart")
    ballot = await drive.wait_ballot(thread, 1)
    opened = await drive.click(fake.message(post["message_ref"]), "drillbot:answer:1", hall.bob)
    assert opened.modal is not None  # left open: stop() closes it (no task outlives the test)
    await drive.runtime.stop()

    await drive.start()  # a new process on the same database
    await drive.sweep(monday_morning + NINE)
    await drive.sweep(monday_morning + NINE + timedelta(minutes=5))
    assert await posted_in_channel(drive) == 1 and fake.identify_count == 2
    vote = await drive.click(ballot, "drillbot:vote:1", hall.bob)
    assert "Vote recorded for Alice's answer (now 1)" in reply_of(vote)["content"]
    by_button = await answer_by_button(
        drive, fake.message(post["message_ref"]), hall.carol, "After"
    )
    assert by_button.ephemeral and "Recorded as answer #2" in reply_of(by_button)["content"]
    await drive.wait_ballot(thread, 2)
    await fake.edit_message(said, "Edited after the restart")
    await drive.until(
        lambda uow: (
            "after the restart"
            in uow.connection.exec_driver_sql("SELECT text FROM answers WHERE id = 1").scalar()
        )
    )
    assert_clean(fake)


async def test_a_reconnect_fires_on_ready_again_but_never_posts(
    drive: Drive, monday_morning: datetime
) -> None:
    runtime = await drive.start()
    await drive.admin("channel")
    await drive.sweep(monday_morning + NINE)
    assert runtime.client is not None
    runtime.client.before_identify_hook = _no_identify_delay  # type: ignore[method-assign]
    await drive.fake.invalidate_sessions()  # a new session: READY and on_ready again
    await drive.fake.wait_until(lambda: drive.fake.identify_count == 2, 5.0)
    await drive.fake.disconnect_clients()  # and a resume
    await drive.fake.wait_until(lambda: drive.fake.resume_count == 1, 5.0)
    await drive.sweep(monday_morning + NINE + timedelta(minutes=1))
    assert await posted_in_channel(drive) == 1


async def test_a_429_on_posting_is_retried_with_the_same_nonce(
    drive: Drive, monday_morning: datetime
) -> None:
    await drive.start()
    await drive.admin("channel")
    drive.fake.fail_next("POST", MESSAGES, status=429, retry_after=0.2)
    report = await drive.sweep(monday_morning + NINE)
    attempts = drive.fake.requests_to("POST", MESSAGES)
    assert report.sent == 1 and [r.status for r in attempts] == [429, 200]
    assert attempts[0].json["nonce"] == attempts[1].json["nonce"]
    assert await posted_in_channel(drive) == 1


async def test_missing_send_messages_keeps_the_round_claimed_until_fixed(
    drive: Drive, monday_morning: datetime, caplog: pytest.LogCaptureFixture
) -> None:
    fake, channel = drive.fake, drive.hall.channel
    await drive.start()
    await drive.admin("channel")
    fake.set_bot_permissions(channel, deny=perm.SEND_MESSAGES)
    with caplog.at_level(logging.WARNING):
        assert (await drive.sweep(monday_morning + NINE)).sent == 0
    post = (await drive.posts())["drill:1"]
    assert post["status"] == "pending" and post["attempts"] == 1
    assert HINT in post["last_error"] and HINT in caplog.text
    fake.set_bot_permissions(channel)  # the admin fixes the channel's permissions
    assert (await drive.sweep(monday_morning + NINE + timedelta(seconds=16))).sent == 1
    assert (await drive.posts())["drill:1"]["status"] == "sent"
    assert await posted_in_channel(drive) == 1


async def test_a_drill_whose_thread_cannot_open_is_withdrawn_and_retried(
    drive: Drive, monday_morning: datetime
) -> None:
    fake, channel = drive.fake, drive.hall.channel
    await drive.start()
    await drive.admin("channel")
    fake.set_bot_permissions(channel, deny=perm.CREATE_PUBLIC_THREADS)
    assert (await drive.sweep(monday_morning + NINE)).sent == 0
    assert fake.requests_to("DELETE", "/channels/{channel_id}/messages/{message_id}")
    fake.set_bot_permissions(channel)
    assert (await drive.sweep(monday_morning + NINE + timedelta(seconds=16))).sent == 1
    drills = [m for m in drive.bot_messages(channel) if m.get("embeds")]
    assert len(drills) == 1 and "thread" in drills[0]


async def test_an_unknown_channel_fails_for_good(drive: Drive, monday_morning: datetime) -> None:
    fake, channel = drive.fake, drive.hall.channel
    await drive.start()
    await drive.admin("channel")
    del fake.state.channels[channel.id]  # deleted on Discord's side
    await drive.sweep(monday_morning + NINE)
    post = (await drive.posts())["drill:1"]
    assert post["status"] == "failed" and "10003" in post["last_error"]


async def test_without_the_message_content_intent_members_answer_by_button(
    drive: Drive, monday_morning: datetime, caplog: pytest.LogCaptureFixture
) -> None:
    hall, fake = drive.hall, drive.fake
    fake.message_content_granted = False
    with caplog.at_level(logging.WARNING):
        runtime = await drive.start()
    assert "Bot -> Privileged Gateway Intents -> turn on Message Content Intent" in caplog.text
    assert not runtime.platform.reads_content and fake.gateway.close_codes == []
    await drive.admin("channel")
    await drive.sweep(monday_morning + NINE)
    post = (await drive.posts())["drill:1"]
    drill = fake.message(post["message_ref"])
    assert "Answer with the Answer button" in drill["embeds"][0]["description"]
    thread = drive.thread(post["thread_ref"])
    await fake.member_says(thread, hall.alice, "unreadable without the intent")
    answered_by_button = await answer_by_button(drive, drill, hall.bob, "By button")
    assert "Recorded as answer #1" in reply_of(answered_by_button)["content"]
    await drive.wait_ballot(thread, 1)
    assert_clean(fake)


async def test_a_4014_close_connects_again_without_the_intent(
    drive: Drive, caplog: pytest.LogCaptureFixture
) -> None:
    gateway = drive.fake.gateway
    granted = gateway._allowed_intents
    # The application flags say granted, the gateway disagrees (e.g. an unverified bot in 100+ servers).
    gateway._allowed_intents = lambda: granted() & ~INTENT_MESSAGE_CONTENT  # type: ignore[method-assign]
    with caplog.at_level(logging.WARNING):
        runtime = await drive.start()
    assert gateway.close_codes == [4014] and drive.fake.identify_count == 1
    assert not runtime.platform.reads_content and "4014" in caplog.text


async def test_many_guilds_each_with_their_own_settings(
    drive: Drive, monday_morning: datetime
) -> None:
    fake = drive.fake
    other = fake.add_guild(name="Second Hall")
    other_channel = fake.add_text_channel(other, name="practice")
    other_admin = fake.add_member(other, "boss", admin=True)
    await drive.start()
    await drive.admin("channel")
    for sub, value in (("channel", None), ("time", "10:00")):
        options = {"value": value} if value else None
        record = await fake.invoke_slash(
            other, other_channel, other_admin, "drill-admin", options, subcommand=sub
        )
        await answered(record)
    assert (await drive.sweep(monday_morning + NINE)).sent == 1
    assert (await drive.sweep(monday_morning + NINE + timedelta(hours=1))).sent == 1
    assert len(drive.bot_messages(other_channel)) == 3  # two replies and the drill


async def test_an_auto_sharded_client_works_the_same(
    drive: Drive, monday_morning: datetime
) -> None:
    runtime = await drive.start(client_class=discord.AutoShardedClient)
    assert isinstance(runtime.client, discord.AutoShardedClient)
    await drive.admin("channel")
    assert (await drive.sweep(monday_morning + NINE)).sent == 1
    assert drive.fake.requests_to("GET", "/gateway/bot")
