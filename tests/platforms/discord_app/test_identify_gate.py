"""Shard settings choose the client; on PostgreSQL every IDENTIFY waits for its bucket's turn in
the database (buckets by ``max_concurrency``), and a database that cannot answer costs one pause."""

from __future__ import annotations

import itertools
import logging
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import discord
import pytest
from pydantic import SecretStr

from bot.core.errors import StorageUnavailable
from bot.core.services.context import Core
from bot.platforms.discord_app.identify_gate import MARGIN, GatedShardedClient, IdentifyGate
from bot.platforms.discord_app.runtime import READY_SECONDS, ready_timeout, runtime_from_settings
from config.settings import DiscordSettings
from tests.platforms.discord_app.helpers import Drive

WINDOW = 0.3
ON_POSTGRES = [pytest.param("postgres", marks=pytest.mark.postgres)]


def shard_settings(**values: Any) -> DiscordSettings:
    return DiscordSettings(DISCORD_TOKEN=SecretStr("token"), **values)


def test_shard_settings_choose_the_client(core: Core, database_url: str) -> None:
    shared = database_url.startswith("postgresql")
    split = runtime_from_settings(core, shard_settings(shard_count=6, shard_ids="2-3"))
    assert split.client_class is (GatedShardedClient if shared else discord.AutoShardedClient)
    alone = runtime_from_settings(core, shard_settings(sharded=True))
    assert alone.client_class is (GatedShardedClient if shared else discord.AutoShardedClient)
    assert runtime_from_settings(core, shard_settings()).client_class is discord.Client


def test_the_ready_timeout_leaves_every_shard_its_turn() -> None:
    assert ready_timeout(shard_settings()) == READY_SECONDS + 5
    assert ready_timeout(shard_settings(shard_count=64, shard_ids="0")) == READY_SECONDS + 320


@pytest.mark.parametrize("database_url", ON_POSTGRES, indirect=True)
async def test_each_bucket_takes_its_own_turns(drive: Drive, core: Core) -> None:
    """max_concurrency 2: shards 0 and 2 share a bucket, as do 1 and 3; the buckets overlap."""
    drive.fake.gateway.max_concurrency = 2
    gate = IdentifyGate(core, WINDOW)
    options = {"guild_ready_timeout": 0.1, "identify_gate": gate, "shard_count": 4}
    runtime = await drive.start(client_class=GatedShardedClient, client_options=options)
    assert isinstance(runtime.client, GatedShardedClient)
    at = {i.shard_id: i.at for i in drive.fake.identifies}
    assert sorted(at) == [0, 1, 2, 3]
    assert at[2] - at[0] >= WINDOW and at[3] - at[1] >= WINDOW
    assert at[1] - at[0] < WINDOW  # another bucket: no wait
    assert await gate.max_concurrency(runtime.client) == 2


class Unreachable:
    async def run(self, work: object) -> None:
        raise StorageUnavailable("OSError: connection refused")


def client_with_limits(*answers: Any) -> Any:
    """A stand-in client whose GET /gateway/bot gives each of ``answers`` in turn."""
    replies = itertools.chain(answers, itertools.repeat(answers[-1]))

    async def get_bot_gateway() -> tuple[int, str, dict[str, int]]:
        reply = next(replies)
        if isinstance(reply, Exception):
            raise reply
        return 1, "wss://gateway", {"max_concurrency": reply}

    return SimpleNamespace(http=SimpleNamespace(get_bot_gateway=get_bot_gateway))


async def test_without_the_database_a_shard_pauses_alone(
    bank: Any, caplog: pytest.LogCaptureFixture
) -> None:
    gate = IdentifyGate(Core(db=Unreachable(), bank=bank), 0.01)  # type: ignore[arg-type]
    with caplog.at_level(logging.WARNING):
        await gate.wait_turn(client_with_limits(16), 3)
    assert "no IDENTIFY turn from the database" in caplog.text
    assert gate.spacing == timedelta(seconds=0.01 * (1 + MARGIN))


async def test_max_concurrency_is_asked_once_and_one_until_known(bank: Any) -> None:
    gate = IdentifyGate(Core(db=Unreachable(), bank=bank), 0.01)  # type: ignore[arg-type]
    client = client_with_limits(discord.GatewayNotFound(), 16, 32)
    assert [await gate.max_concurrency(client) for _ in range(3)] == [1, 16, 16]
