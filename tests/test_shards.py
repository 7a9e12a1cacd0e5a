"""Three real ``drillbot run`` processes split six Discord shards and share one PostgreSQL database.

The fake Discord recommends 6 shards with ``max_concurrency`` 1 (one bucket), routes 300 guilds to
shards by Discord's rule and records every IDENTIFY. The processes run shards 0-1, 2-3 and 4-5 and
all start at once: every guild's drill is posted exactly once, and no two IDENTIFYs from any of
them come closer together than the IDENTIFY spacing (0.5 s here, Discord's 5 s in production).
"""

from __future__ import annotations

import asyncio
import itertools
import signal
import sys
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.core.model import Place
from bot.core.services.admin import change_setting, register_channel
from bot.core.services.context import Core
from bot.core.services.setting_changes import plain, post_time
from bot.storage.engine import create_engine, open_database
from bot.storage.migrate import upgrade
from drills import load_bank
from tests.conftest import postgres_url
from tests.fakes.discord.models import FakeChannel
from tests.fakes.discord.server import FakeDiscord
from tests.fakes.discord.sharding import shard_for
from tests.test_service import bot_environment

pytestmark = pytest.mark.postgres
GUILDS, SHARDS = 300, 6
SPLIT = ("0-1", "2-3", "4-5")
IDENTIFY_SECONDS = 0.5
# Guild snowflakes from 2026 one millisecond apart, the first on shard 0: guild n -> shard n % 6.
BASE_MS = 372_000_000_000
CHANNEL_POSTS, THREADS = (
    "/channels/{channel_id}/messages",
    "/channels/{channel_id}/messages/{message_id}/threads",
)


async def test_three_processes_share_six_shards_and_post_every_drill_once(tmp_path: Path) -> None:
    async with (
        fresh_database() as url,
        FakeDiscord(shard_count=SHARDS, max_concurrency=1) as fake,
    ):
        channels = _guilds_with_a_drill_channel(fake)
        await _register(url, channels)
        bots = [await _start(fake, url, ids, tmp_path / f"bot-{ids}.log") for ids in SPLIT]
        try:
            await fake.wait_until(
                lambda: len(_posts(fake, CHANNEL_POSTS)) >= GUILDS or _exited(bots), 90
            )
            await asyncio.sleep(2)  # two more sweeps each: time for any second post to show
        finally:
            logs = await asyncio.gather(*(_stop(bot, log) for bot, log in bots))
    _check_identifies(fake)
    for shard_ids, logged in zip(SPLIT, logs, strict=True):  # each process ran its own shards
        first, last = map(int, shard_ids.split("-"))
        assert all(f"shard {n} identifies" in logged for n in (first, last)), logged
    assert (
        _posts(fake, CHANNEL_POSTS) == _posts(fake, THREADS) == Counter(str(c.id) for c in channels)
    )
    assert not fake.violations and not fake.server_errors
    for logged in logs:
        assert " ERROR " not in logged and "Traceback" not in logged, logged


@asynccontextmanager
async def fresh_database() -> AsyncIterator[str]:
    """A database of its own, dropped afterwards (``drillbot run`` knows DATABASE_URL, no schema)."""
    url = postgres_url()
    assert url is not None
    name = f"shards_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


def _guilds_with_a_drill_channel(fake: FakeDiscord) -> list[FakeChannel]:
    channels = []
    for number in range(GUILDS):
        guild = fake.add_guild(f"Guild {number}", guild_id=(BASE_MS + number) << 22)
        assert shard_for(guild.id, SHARDS) == number % SHARDS
        channels.append(fake.add_text_channel(guild, "drills"))
    return channels


async def _register(url: str, channels: list[FakeChannel]) -> None:
    """Each channel a drill channel whose post time is the current minute: due at once."""
    now = datetime.now(UTC)
    db = open_database(url)
    try:
        await upgrade(db)
        core, lanes = Core(db=db, bank=load_bank()), asyncio.Semaphore(8)

        async def one(channel: FakeChannel) -> None:
            async with lanes:
                await _drill_channel(core, channel, now)

        await asyncio.gather(*(one(channel) for channel in channels))
    finally:
        await db.dispose()


async def _drill_channel(core: Core, channel: FakeChannel, now: datetime) -> None:
    place = Place("discord", str(channel.guild_id), str(channel.id))
    before = now - timedelta(minutes=1)
    await register_channel(core, place, before)
    found = await core.db.run(lambda uow: uow.channels.find(*_key(place)))
    assert found is not None
    await change_setting(core, found, "post time", plain(post_time), now.strftime("%H:%M"), before)


def _key(place: Place) -> tuple[str, str, str]:
    return place.platform, place.space_ref, place.channel_ref


async def _start(
    fake: FakeDiscord, url: str, shard_ids: str, log: Path
) -> tuple[asyncio.subprocess.Process, Path]:
    environment = bot_environment(
        url,
        DISCORD_TOKEN=fake.token,
        DRILLBOT_DISCORD_API_URL=fake.api_url,
        DRILLBOT_DISCORD_GATEWAY_URL=fake.gateway_url,
        DRILLBOT_DISCORD_SHARD_IDS=shard_ids,
        DRILLBOT_DISCORD_SHARD_COUNT=str(SHARDS),
        DRILLBOT_DISCORD_IDENTIFY_SECONDS=str(IDENTIFY_SECONDS),
    )
    with log.open("wb") as output:  # a file, not a pipe nobody reads while the bot runs
        bot = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", stdout=output, stderr=output, env=environment
        )
    return bot, log


def _exited(bots: list[tuple[asyncio.subprocess.Process, Path]]) -> bool:
    return any(bot.returncode is not None for bot, _ in bots)


async def _stop(bot: asyncio.subprocess.Process, log: Path) -> str:
    """SIGTERM, as a platform stops a process; everything it logged."""
    if bot.returncode is None:
        bot.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(bot.wait(), 60)
    finally:
        if bot.returncode is None:
            bot.kill()
            await bot.wait()
    logged = _read(log)
    assert bot.returncode == 0, logged
    return logged


def _read(log: Path) -> str:
    return log.read_text()


def _posts(fake: FakeDiscord, route: str) -> Counter[str]:
    """Successful posts to ``route`` by channel id."""
    return Counter(
        r.path.split("/")[2] for r in fake.requests_to("POST", route) if r.status in (200, 201)
    )


def _check_identifies(fake: FakeDiscord) -> None:
    """Each shard identified once, as the shard count it was told; one bucket (max_concurrency
    1), so no two IDENTIFYs closer together than the spacing."""
    identifies = fake.identifies
    assert sorted(i.shard_id for i in identifies) == list(range(SHARDS))
    assert {i.shard_count for i in identifies} == {SHARDS}
    times = sorted(i.at for i in identifies)
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert min(gaps) >= IDENTIFY_SECONDS, gaps
