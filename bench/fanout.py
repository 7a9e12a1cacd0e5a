"""Fan-out: N Discord channels due the same minute, through the production path, at the rate limit.

Usage: python -m bench.fanout [--channels 1000 5000] [--runs 3]
Target (issue 5): every drill posted with its thread in at most 1.1x the floor the rate limit sets
(2 requests a drill / 50 a second: 40 s for 1,000 channels, 200 s for 5,000), with no 429.

The platform is the repo's FakeDiscord with Discord's limits: 50 requests a second globally (a
sliding second) and 5 per 5 s per route bucket, with X-RateLimit-* headers, answering 429 with
Retry-After beyond them. The bot is what ``drillbot run`` builds: the real core on SQLite (outbox,
leases), ``runtime_from_settings`` (the real discord.py client, logged in and connected) and the
scheduler's ``run_due_work(overlap=True)``, on a Tuesday (no weekly leaderboard due). The clock
stops once the last drill and its thread are posted, retries included.

The anchor, run before each measured run on the same fake: the same connected discord.py client
posting every message and thread directly, with no core, no database and no outbox (what the
platform side alone achieves on this machine right now). Medians of ``--runs``; load averages.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta

import discord
from pydantic import SecretStr
from sqlalchemy import func, select

from bench.common import START, fresh_core
from bot.core.model import Place
from bot.core.ports import Platform
from bot.core.services.admin import register_channel
from bot.core.services.context import Core
from bot.core.services.sweep import next_wakeup, run_due_work
from bot.platforms.discord_app.pacing import GlobalPacer
from bot.platforms.discord_app.refs import PLATFORM
from bot.platforms.discord_app.runtime import runtime_from_settings
from bot.storage.tables import posts
from bot.storage.uow import UnitOfWork
from config.settings import DiscordSettings
from tests.fakes.discord import FakeDiscord, point_discord_py_at
from tests.fakes.discord.models import FakeChannel

GLOBAL_LIMIT, ROUTE_LIMIT, ROUTE_WINDOW = 50, 5, 5.0
CHANNELS_PER_GUILD = 250  # Discord allows 500 channels in a server
TUESDAY = START + timedelta(days=1)  # registered at 08:00, drills due at 09:00; weekly is Mondays
THREADS = "/channels/{channel_id}/messages/{message_id}/threads"


def load() -> str:
    return "load " + " ".join(f"{value:.2f}" for value in os.getloadavg())


def world(fake: FakeDiscord, channels: int) -> list[FakeChannel]:
    made: list[FakeChannel] = []
    for number in range(channels):
        if number % CHANNELS_PER_GUILD == 0:
            guild = fake.add_guild(name=f"guild {number // CHANNELS_PER_GUILD}")
        made.append(fake.add_text_channel(guild, name=f"drills-{number}"))
    return made


async def measured(fake: FakeDiscord, channels: list[FakeChannel]) -> tuple[float, str]:
    """Seconds from the due minute until every drill is out with its thread; 429s received."""
    assert TUESDAY.weekday() == 1
    with tempfile.TemporaryDirectory() as folder:
        core = await fresh_core(f"sqlite:///{folder}/fanout.db")
        for channel in channels:
            place = Place(PLATFORM, str(channel.guild_id), str(channel.id))
            await register_channel(core, place, TUESDAY)
        runtime = runtime_from_settings(core, settings(fake))
        await runtime.start()
        try:
            elapsed, limited = await counted(fake, lambda: fan_out(core, runtime.platform))
            return elapsed, f"{limited}, posted {await posted(core)}/{len(channels)}"
        finally:
            await runtime.stop()
            await core.db.dispose()


async def fan_out(core: Core, platform: Platform) -> None:
    """As the scheduler does, from the due minute until no post is pending: a post that failed
    is tried again when its retry is due (the simulated clock follows the real one)."""
    start, platforms = TUESDAY + timedelta(hours=1), {platform.name: platform}
    began, now = time.monotonic(), start
    while (await run_due_work(core, platforms, now, overlap=True)) and await pending(core):
        wake = await next_wakeup(core)
        assert wake is not None
        await asyncio.sleep(max(0.0, (wake - start).total_seconds() - (time.monotonic() - began)))
        now = max(wake, start + timedelta(seconds=time.monotonic() - began))


async def posted(core: Core) -> int:
    """Drills recorded as sent with their thread (a post given up on is not)."""

    def count(uow: UnitOfWork) -> int:
        query = select(func.count()).where(posts.c.kind == "drill", posts.c.status == "sent")
        return int(uow.connection.execute(query.where(posts.c.thread_ref.is_not(None))).scalar())

    return await core.db.run(count)


async def pending(core: Core) -> int:
    counts = await core.db.run(lambda uow: uow.posts.counts())
    return counts.get("pending", 0)


async def anchor(fake: FakeDiscord, channels: list[FakeChannel]) -> tuple[float, str]:
    """The same client with the same pacer, core-free: a message and its thread per channel, all
    at once (what the platform side alone achieves)."""
    trace = GlobalPacer(GLOBAL_LIMIT).trace()
    client = discord.Client(intents=discord.Intents.default(), http_trace=trace)
    with point_discord_py_at(fake):
        try:
            await client.login(fake.token)
            return await counted(fake, lambda: bare_posts(client, channels))
        finally:
            await client.close()


async def bare_posts(client: discord.Client, channels: list[FakeChannel]) -> None:
    async def one(channel: FakeChannel) -> None:
        message = await client.http.send_message(channel.id, params=_content())
        await client.http.start_thread_with_message(
            channel.id, message["id"], name="Answers", auto_archive_duration=1440
        )

    await asyncio.gather(*(one(channel) for channel in channels))


def _content() -> discord.http.MultipartParameters:
    return discord.http.handle_message_parameters(content="drill")


async def counted(fake: FakeDiscord, action: Callable[[], Awaitable[object]]) -> tuple[float, str]:
    """Seconds ``action`` took, and the 429s it met (how many were for the global limit)."""
    before, began = len(fake.requests), time.perf_counter()
    await action()
    elapsed = time.perf_counter() - began
    limited = [r for r in fake.requests[before:] if r.status == 429]
    hit = sum(1 for r in limited if isinstance(r.response, dict) and r.response.get("global"))
    return elapsed, f"{len(limited)} ({hit} global)" if limited else "0"


def settings(fake: FakeDiscord) -> DiscordSettings:
    return DiscordSettings(
        DISCORD_TOKEN=SecretStr(fake.token), api_url=fake.api_url, gateway_url=fake.gateway_url
    )


async def run(count: int, runs: int) -> None:
    floor = count * 2 / GLOBAL_LIMIT
    results: dict[str, list[float]] = {"anchor": [], "drillbot": []}
    for number in range(1, runs + 1):
        for name, how in (("anchor", anchor), ("drillbot", measured)):
            async with FakeDiscord() as fake:
                fake.global_rate_limit(GLOBAL_LIMIT)
                fake.rate_limit(ROUTE_LIMIT, window=ROUTE_WINDOW)
                channels = world(fake, count)
                seen = load()
                elapsed, limited = await how(fake, channels)
            results[name].append(elapsed)
            print(
                f"  run {number} {name:8}: {elapsed:6.1f} s  floor {floor:.0f} s  "
                f"{elapsed / floor:.3f}x  429s {limited}  ({seen}; after: {load()})",
                flush=True,
            )
    summary(count, floor, results)


def summary(count: int, floor: float, results: dict[str, list[float]]) -> None:
    anchor_s, drillbot_s = (statistics.median(results[k]) for k in ("anchor", "drillbot"))
    print(
        f"{count:,} drills with threads at {GLOBAL_LIMIT}/s, medians of {len(results['anchor'])}: "
        f"drillbot {drillbot_s:.1f} s = {drillbot_s / floor:.3f}x the floor ({floor:.0f} s); "
        f"anchor {anchor_s:.1f} s = {anchor_s / floor:.3f}x; drillbot/anchor "
        f"{drillbot_s / anchor_s:.3f}  ({load()})",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--channels", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for count in args.channels:
        asyncio.run(run(count, args.runs))


if __name__ == "__main__":
    main()
