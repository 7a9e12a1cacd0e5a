"""Fixtures: a started FakeDiscord with discord.py pointed at it, and a small world."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from .models import FakeChannel, FakeGuild, FakeMember
from .server import FakeDiscord, point_discord_py_at

World = tuple[FakeGuild, FakeChannel, FakeMember]


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        with point_discord_py_at(server):
            yield server
    assert not server.server_errors, "\n".join(server.server_errors)


@pytest.fixture
def world(fake: FakeDiscord) -> World:
    """One guild with a text channel and a regular member, alice."""
    guild = fake.add_guild(name="Drill Hall")
    channel = fake.add_text_channel(guild, name="daily-drills", topic="One question a day")
    alice = fake.add_member(guild, "alice")
    return guild, channel, alice
