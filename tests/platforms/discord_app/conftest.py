"""Fixtures: a FakeDiscord with one guild, a simulated clock, and real ``DiscordRuntime``s on the
``core`` fixture's database (SQLite, and PostgreSQL when enabled); no task outlives a test."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import pytest

from bot.core.services.context import Core
from tests.fakes.discord import FakeDiscord
from tests.platforms.discord_app.helpers import Clock, Drive, Hall, settings_for


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        yield server
    assert not server.server_errors, "\n".join(server.server_errors)


@pytest.fixture
def hall(fake: FakeDiscord) -> Hall:
    guild = fake.add_guild(name="Drill Hall")
    channel = fake.add_text_channel(guild, name="daily-drills")
    members = {name: fake.add_member(guild, name) for name in ("alice", "bob", "carol")}
    admin = fake.add_member(guild, "root", admin=True)
    return Hall(guild, channel, admin, **members)


@pytest.fixture
def clock(monday_morning: datetime) -> Clock:
    return Clock(monday_morning)


@pytest.fixture
async def drive(fake: FakeDiscord, hall: Hall, core: Core, clock: Clock) -> AsyncIterator[Drive]:
    """Starts runtimes on demand (``await drive.start()``); stops them and checks for leaks."""
    before = asyncio.all_tasks()
    driver = Drive(fake, hall, core, clock, settings_for(fake))
    try:
        yield driver
    finally:
        await driver.stop()
    leaked = await _leaked(before)
    gc.collect()  # a task that never ran would warn here, inside the test that made it
    assert not leaked, "tasks left running after the runtime stopped"


async def _leaked(before: set[asyncio.Task[Any]], timeout: float = 2.0) -> list[str]:
    """Tasks started during the test that are still running once everything was stopped."""
    current = asyncio.current_task()
    pending = {t for t in asyncio.all_tasks() if t not in before and t is not current}
    if pending:
        await asyncio.wait(pending, timeout=timeout)
    return [repr(task) for task in pending if not task.done()]
