"""Fan-out at Discord's rate limits: many channels due the same minute, the real runtime and
discord.py against the fake with its global limit (50 a second) and per-route buckets (5 per 5 s):
every drill goes out once with its thread, and no 429 comes back."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

from sqlalchemy import select

from bot.core.model import Place
from bot.core.services.admin import register_channel
from bot.core.services.sweep import run_due_work
from bot.platforms.discord_app.pacing import GlobalPacer
from bot.platforms.discord_app.refs import PLATFORM
from bot.storage.tables import posts
from tests.fakes.discord import FakeChannel, FakeDiscord
from tests.platforms.discord_app.helpers import Drive

CHANNELS = 60  # 120 requests: well past one second of the global limit
THREADS = "/channels/{channel_id}/messages/{message_id}/threads"


async def test_a_fan_out_posts_every_drill_once_with_no_429(
    fake: FakeDiscord, drive: Drive
) -> None:
    fake.global_rate_limit(50)
    fake.rate_limit(5, window=5.0)
    channels = [fake.add_text_channel(drive.hall.guild, name=f"d{n}") for n in range(CHANNELS)]
    for channel in channels:
        place = Place(PLATFORM, str(drive.hall.guild.id), str(channel.id))
        await register_channel(drive.core, place, drive.clock.now)
    runtime = await drive.start()
    drive.clock.now += timedelta(hours=1)
    platforms = {PLATFORM: runtime.platform}
    report = await run_due_work(drive.core, platforms, drive.clock.now, overlap=True)
    assert report.sent == CHANNELS
    assert fake.rate_limited_count == 0
    assert all(len(drills(drive, channel)) == 1 for channel in channels)
    assert len([r for r in fake.requests_to("POST", THREADS) if r.status == 201]) == CHANNELS
    statuses = await drive.core.db.run(lambda uow: uow.connection.execute(select(posts.c.status)))
    assert {status for (status,) in statuses} == {"sent"}


def drills(drive: Drive, channel: FakeChannel) -> list[dict[str, object]]:
    return [m for m in drive.bot_messages(channel) if m.get("embeds")]


async def test_the_pacer_never_starts_more_than_its_limit_in_a_window() -> None:
    """Each request is answered as soon as it starts: the window alone holds the next ones."""
    pacer = GlobalPacer(limit=5, window=0.2)
    starts: list[float] = []

    async def one() -> None:
        start = await pacer.wait()
        starts.append(time.monotonic())
        pacer.answered(start)

    await asyncio.gather(*(one() for _ in range(16)))
    assert all(later - first >= 0.2 for first, later in zip(starts, starts[5:], strict=False))


async def test_a_global_429_holds_every_request_for_its_retry_after() -> None:
    pacer = GlobalPacer(limit=50)
    pacer.hold(0.2)
    began = time.monotonic()
    await pacer.wait()
    assert time.monotonic() - began >= 0.2
