"""Exactly once on Discord: a post whose first send went out but whose outcome was lost is sent
again with the same nonce, and Discord (the fake implements its nonce rule) returns the message
it already created instead of a second one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from bot.core.cards import Card
from bot.core.ports import Platform, Posted
from bot.core.services.delivery import deliver_one
from bot.core.services.sweep import open_due_channels
from tests.platforms.discord_app.checks import assert_clean
from tests.platforms.discord_app.helpers import MESSAGES, Drive

NINE = timedelta(hours=1)
THREADS = "/channels/{channel_id}/messages/{message_id}/threads"


def _drills(drive: Drive) -> list[dict[str, object]]:
    return [m for m in drive.bot_messages(drive.hall.channel) if m.get("embeds")]


async def test_a_post_whose_response_was_lost_is_sent_again_without_a_duplicate(
    drive: Drive, monday_morning: datetime
) -> None:
    await drive.start()
    await drive.admin("channel")
    drive.fake.lose_next_response("POST", MESSAGES)
    assert (await drive.sweep(monday_morning + NINE)).sent == 0
    post = (await drive.posts())["drill:1"]
    assert post["status"] == "pending" and post["attempts"] == 1
    assert len(_drills(drive)) == 1  # Discord carried it out; Drillbot cannot know
    assert (await drive.sweep(monday_morning + NINE + timedelta(seconds=16))).sent == 1
    drills = _drills(drive)
    post = (await drive.posts())["drill:1"]
    assert len(drills) == 1 and post["message_ref"] == drills[0]["id"]
    assert post["thread_ref"] is not None and "thread" in drive.fake.message(drills[0]["id"])
    sends = drive.fake.requests_to("POST", MESSAGES)
    assert len({r.json["nonce"] for r in sends}) == 1 and all(
        r.json["enforce_nonce"] for r in sends
    )
    assert_clean(drive.fake)


class Died(BaseException):
    """The process was killed: nothing after the send runs."""


@dataclass
class DiesAfterSending:
    """Worker A's platform: the post really goes out, then the process dies before recording."""

    platform: Platform
    name: str = "discord"

    async def deliver(
        self, channel_ref: str, thread_ref: str | None, card: Card, idempotency_key: str
    ) -> Posted:
        await self.platform.deliver(channel_ref, thread_ref, card, idempotency_key)
        raise Died


async def test_a_send_whose_worker_died_is_deduplicated_after_the_lease(
    drive: Drive, monday_morning: datetime
) -> None:
    """Worker A leases the post and sends it, then dies before recording; once the lease has
    expired worker B sends it again: still one message and one thread."""
    runtime = await drive.start()
    await drive.admin("channel")
    at = monday_morning + NINE
    drive.clock.now = at
    await open_due_channels(drive.core, at)
    job = await drive.core.db.run(lambda uow: uow.posts.get("drill:1"))
    assert job is not None
    with pytest.raises(Died):
        await deliver_one(drive.core, {"discord": DiesAfterSending(runtime.platform)}, job, at)
    assert len(_drills(drive)) == 1
    assert (await drive.sweep(at + drive.core.send_lease - timedelta(seconds=1))).sent == 0
    assert (await drive.sweep(at + drive.core.send_lease + timedelta(seconds=1))).sent == 1
    drills = _drills(drive)
    post = (await drive.posts())["drill:1"]
    assert len(drills) == 1 and post["status"] == "sent"
    assert post["message_ref"] == drills[0]["id"]
    assert len(drive.fake.requests_to("POST", THREADS)) == 2  # the second was told "already"
    threads = [c for c in drive.fake.state.channels.values() if c.is_thread]
    assert len(threads) == 1 and str(threads[0].id) == post["thread_ref"]
