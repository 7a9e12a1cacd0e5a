"""Fan-out: many channels due the same minute are fed to a paced platform continuously, as many
posts in flight as it says it takes, each post exactly once, never behind empty leaderboards."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.core.cards import Card, DrillCard
from bot.core.ports import Paced, Posted
from bot.core.services import delivery, feed
from bot.core.services.context import Core
from bot.core.services.sweep import run_due_work
from bot.core.vocab import PostKind
from bot.storage.tables import posts
from tests.core.services.helpers import PLATFORM, register
from tests.recording_platform import RecordingPlatform

CHANNELS = 25


@dataclass
class LanePlatform(RecordingPlatform):
    """Says it takes ``send_lanes`` posts at once; counts how many it was given at once. The
    first post waits until ``release`` is set; with ``gate``, posts go in groups that fill it."""

    send_lanes: int = 5
    in_flight: int = 0
    most_in_flight: int = 0
    held: bool = False
    release: asyncio.Event = field(default_factory=asyncio.Event)
    gate: asyncio.Barrier | None = None

    async def deliver(
        self, channel_ref: str, thread_ref: str | None, card: Card, idempotency_key: str
    ) -> Posted:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if not self.held:
                self.held = True
                await self.release.wait()
            if self.gate is not None:
                await self.gate.wait()
            await asyncio.sleep(0)
            return await super().deliver(channel_ref, thread_ref, card, idempotency_key)
        finally:
            self.in_flight -= 1


async def channels(core: Core, now: datetime, count: int = CHANNELS) -> None:
    for number in range(count):
        await register(core, now, channel=f"chan-{number}", min_length=None)


async def test_a_paced_platform_is_fed_as_many_posts_as_it_takes(
    core: Core, monday_morning: datetime
) -> None:
    """Posts go in groups of five that only fill if five are handed over at once."""
    platform = LanePlatform(gate=asyncio.Barrier(5))
    platform.release.set()
    assert isinstance(platform, Paced)
    await channels(core, monday_morning)
    due = monday_morning + timedelta(hours=1)
    async with asyncio.timeout(30):
        report = await run_due_work(core, {PLATFORM: platform}, due, overlap=True)
    assert report.sent == CHANNELS
    assert platform.most_in_flight == platform.send_lanes
    drilled = [d.channel_ref for d in platform.of_type(DrillCard)]
    assert sorted(drilled) == sorted(f"chan-{n}" for n in range(CHANNELS))  # each exactly once


async def test_one_slow_post_does_not_hold_back_the_next_batch(
    core: Core, monday_morning: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The outbox is read a batch at a time; lanes go on to the next batch past a slow post."""
    monkeypatch.setattr(feed, "BATCH", 10)
    platform = LanePlatform()
    await channels(core, monday_morning)

    async def release_once_the_rest_are_out() -> None:
        while len(platform.deliveries) < CHANNELS - 1:  # every post but the held one
            await asyncio.sleep(0.01)
        platform.release.set()

    releaser = asyncio.create_task(release_once_the_rest_are_out())
    due = monday_morning + timedelta(hours=1)
    async with asyncio.timeout(30):
        report = await run_due_work(core, {PLATFORM: platform}, due, overlap=True)
    await releaser
    assert report.sent == CHANNELS


async def test_drills_are_not_queued_behind_empty_weekly_leaderboards(
    core: Core, monday_morning: datetime
) -> None:
    """Monday 09:00: every channel's weekly leaderboard and drill are due; nobody scored, so no
    leaderboard is queued and the drills are the only posts."""
    platform = LanePlatform()
    platform.release.set()
    await channels(core, monday_morning)
    report = await run_due_work(
        core, {PLATFORM: platform}, monday_morning + timedelta(hours=1), overlap=True
    )
    assert report.weekly == CHANNELS  # every channel's weekly time came
    kinds = await core.db.run(lambda uow: uow.connection.execute(select(posts.c.kind)).all())
    assert {PostKind(kind) for (kind,) in kinds} == {PostKind.DRILL}
    assert len(platform.of_type(DrillCard)) == report.sent == CHANNELS


def test_lanes_come_from_the_platforms() -> None:
    assert feed.lanes_for({"a": LanePlatform(send_lanes=7), "b": RecordingPlatform()}) == 7 + 4
    assert feed.lanes_for({}) == 1


async def test_a_lane_that_dies_ends_the_run_instead_of_hanging_it(
    core: Core, monday_morning: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database fault after a send escapes its lane: the run ends with it, the other lanes
    and the reading of the outbox stopped (a full queue with no lane left would wait forever)."""

    async def database_gone(*_args: object) -> None:
        raise RuntimeError("database gone")

    monkeypatch.setattr(delivery, "_record_sent", database_gone)
    await channels(core, monday_morning, count=12)
    platform = LanePlatform(send_lanes=2)
    platform.release.set()
    due = monday_morning + timedelta(hours=1)
    with pytest.raises(RuntimeError, match="database gone"):
        async with asyncio.timeout(30):
            await run_due_work(core, {PLATFORM: platform}, due, overlap=True)
