"""Gateway details with the real discord.py client: intents, opcodes, heartbeats, seq."""

from __future__ import annotations

import json

import discord
import pytest

from .conftest import World
from .harness import Inbox, client_options, recording_client, running_client
from .server import FakeDiscord, point_discord_py_at


async def test_without_message_content_intent_content_is_redacted(
    fake: FakeDiscord, world: World
) -> None:
    _, channel, alice = world
    inbox = Inbox()
    client = recording_client(inbox, intents=discord.Intents.default())
    async with running_client(client, fake):
        await fake.member_says(channel, alice, "secret answer")
        plain = await inbox.get("message")
        await fake.member_says(channel, alice, f"hey <@{fake.bot_user.id}>")
        mention = await inbox.get("message")
    assert plain.content == ""
    assert mention.content.startswith("hey") and mention.mentions[0].id == fake.bot_user.id


async def test_reconnect_opcode_resumes(fake: FakeDiscord, world: World) -> None:
    inbox = Inbox()
    async with running_client(recording_client(inbox), fake):
        await fake.request_reconnect()
        await inbox.get("resumed")
    assert fake.resume_count == 1


async def test_heartbeats_are_acknowledged() -> None:
    async with FakeDiscord(heartbeat_interval_ms=100) as quick:
        quick.add_guild()
        with point_discord_py_at(quick):
            async with running_client(discord.Client(**client_options()), quick) as client:
                await quick.wait_until(lambda: quick.gateway.heartbeat_count >= 3)
                assert client.latency < 1.0


async def test_sequence_numbers_increase_per_session(fake: FakeDiscord, world: World) -> None:
    _, channel, alice = world
    seen: list[int] = []
    client = discord.Client(**client_options(), enable_debug_events=True)

    @client.event
    async def on_socket_raw_receive(raw: str) -> None:
        seq = json.loads(raw).get("s")
        if seq is not None:
            seen.append(seq)

    async with running_client(client, fake):
        await fake.member_says(channel, alice, "one")
        await fake.member_says(channel, alice, "two")
        await fake.wait_until(lambda: len(seen) >= 4)
    assert seen == list(range(1, len(seen) + 1))


async def test_auto_sharded_client_uses_gateway_bot(fake: FakeDiscord, world: World) -> None:
    guild, channel, alice = world
    inbox = Inbox()
    client = recording_client(inbox, cls=discord.AutoShardedClient)
    async with running_client(client, fake):
        assert client.get_guild(guild.id) is not None and client.shard_count == 1
        await fake.member_says(channel, alice, "sharded hello")
        message = await inbox.get("message")
    assert message.content == "sharded hello"
    assert fake.requests_to("GET", "/gateway/bot")[0].status == 200


async def test_shards_get_their_own_guilds_and_every_identify_is_recorded() -> None:
    """Discord's rule, (guild_id >> 22) % shard_count, decides which session hears a guild."""
    async with FakeDiscord(shard_count=2, max_concurrency=3) as sharded:
        guilds = [sharded.add_guild(f"g{n}", guild_id=(1000 + n) << 22) for n in range(4)]
        channel = sharded.add_text_channel(guilds[1], "daily")
        alice = sharded.add_member(guilds[1], "alice")
        with point_discord_py_at(sharded):
            inbox = Inbox()
            client = recording_client(
                inbox, cls=discord.AutoShardedClient, shard_ids=[1], shard_count=2
            )
            async with running_client(client, sharded):
                assert sorted(g.id for g in client.guilds) == [guilds[1].id, guilds[3].id]
                await sharded.member_says(channel, alice, "heard on shard 1")
                assert (await inbox.get("message")).content == "heard on shard 1"
                limits = await client.fetch_session_start_limits()
    assert [(i.shard_id, i.shard_count) for i in sharded.identifies] == [(1, 2)]
    assert limits.max_concurrency == 3


async def test_a_shard_outside_the_count_is_closed_with_4010(fake: FakeDiscord) -> None:
    client = discord.AutoShardedClient(**client_options(shard_ids=[2], shard_count=2))
    with pytest.raises(discord.ConnectionClosed) as closed:
        async with running_client(client, fake):
            pass
    assert closed.value.code == 4010 and fake.identifies == []
