"""The real discord.py client against FakeDiscord: login, caches, messages, threads,
member events, a retried 429, privileged intents (4014) and gateway resume/re-identify.

More: ``test_server_gateway.py``, ``test_server_rest.py``, ``test_server_interactions.py``.
"""

from __future__ import annotations

import time
from pathlib import Path

import discord
import pytest

from . import permissions as perm
from .conftest import World
from .harness import Inbox, client_options, recording_client, running_client
from .server import FakeDiscord

MESSAGES = "/channels/{channel_id}/messages"


async def test_login_ready_and_guild_create_populate_caches(
    fake: FakeDiscord, world: World
) -> None:
    guild, channel, alice = world
    thread = fake.add_thread(channel, "warm-up")
    intents = client_options()["intents"]
    intents.members = True  # privileged; the fake grants it, so members get chunked in
    client = discord.Client(**client_options(intents=intents))
    async with running_client(client, fake):
        cached = client.get_guild(guild.id)
        assert cached is not None and cached.name == "Drill Hall"
        assert client.user is not None and client.user.id == fake.bot_user.id
        assert client.application_id == fake.application_id
        text = cached.get_channel(channel.id)
        assert isinstance(text, discord.TextChannel) and text.topic == "One question a day"
        cached_thread = cached.get_thread(thread.id)
        assert cached_thread is not None and cached_thread.parent_id == channel.id
        member = cached.get_member(alice.id)
        assert member is not None and member.name == "alice"
        assert cached.me.guild_permissions.send_messages
        assert {r.name for r in cached.roles} >= {"@everyone", "drillbot"}
    assert fake.identify_count == 1
    assert [r.path for r in fake.requests[:2]] == ["/users/@me", "/oauth2/applications/@me"]
    assert fake.requests[0].headers["Authorization"] == f"Bot {fake.token}"
    assert all(r.status == 200 for r in fake.requests)


async def test_send_message_and_embed_record_json(fake: FakeDiscord, world: World) -> None:
    _, channel, _ = world
    inbox = Inbox()
    async with running_client(recording_client(inbox), fake) as client:
        text = client.get_channel(channel.id)
        assert isinstance(text, discord.TextChannel)
        sent = await text.send(
            "Today's drill", embed=discord.Embed(title="Caching", description="Why?")
        )
        echoed = await inbox.get("message")
    first = fake.requests_to("POST", MESSAGES)[0]
    assert first.path == f"/channels/{channel.id}/messages"
    assert first.json["content"] == "Today's drill"
    embed = first.json["embeds"][0]
    assert (embed["title"], embed["description"], embed["type"]) == ("Caching", "Why?", "rich")
    assert sent.author.id == fake.bot_user.id and sent.embeds[0].title == "Caching"
    assert echoed.id == sent.id  # MESSAGE_CREATE for the bot's own message, like Discord
    assert fake.messages_in(channel)[0]["content"] == "Today's drill"


async def test_file_upload_is_multipart_with_payload_json(
    fake: FakeDiscord, world: World, tmp_path: Path
) -> None:
    _, channel, _ = world
    report = tmp_path / "report.txt"
    report.write_text("42")
    async with running_client(discord.Client(**client_options()), fake) as client:
        text = client.get_channel(channel.id)
        assert isinstance(text, discord.TextChannel)
        sent = await text.send("attached", file=discord.File(report))
    request = fake.requests_to("POST", MESSAGES)[0]
    assert request.json["content"] == "attached"
    assert [(f.filename, f.data) for f in request.files] == [("report.txt", b"42")]
    assert sent.attachments[0].filename == "report.txt" and sent.attachments[0].size == 2


async def test_create_thread_from_message_and_post_in_it(fake: FakeDiscord, world: World) -> None:
    _, channel, _ = world
    async with running_client(discord.Client(**client_options()), fake) as client:
        text = client.get_channel(channel.id)
        assert isinstance(text, discord.TextChannel)
        starter = await text.send("Question #1")
        thread = await starter.create_thread(name="Answers #1", auto_archive_duration=1440)
        await fake.wait_until(lambda: client.get_channel(thread.id) is not None)
        reply = await thread.send("first answer")
    assert thread.id == starter.id and thread.parent_id == channel.id
    assert thread.type is discord.ChannelType.public_thread
    body = fake.requests_to("POST", "/channels/{channel_id}/messages/{message_id}/threads")[0].json
    assert body["name"] == "Answers #1"
    assert reply.channel.id == thread.id
    assert fake.requests_to("POST", MESSAGES)[-1].path == f"/channels/{thread.id}/messages"
    assert [e.name for e in fake.events].count("THREAD_CREATE") == 1


async def test_missing_permissions_answer_403_50013(fake: FakeDiscord, world: World) -> None:
    _, channel, _ = world
    async with running_client(discord.Client(**client_options()), fake) as client:
        text = client.get_channel(channel.id)
        assert isinstance(text, discord.TextChannel)
        starter = await text.send("Question")
        fake.set_bot_permissions(channel, deny=perm.CREATE_PUBLIC_THREADS)
        with pytest.raises(discord.Forbidden) as no_thread:
            await starter.create_thread(name="nope")
        fake.set_bot_permissions(channel, deny=perm.SEND_MESSAGES)
        with pytest.raises(discord.Forbidden) as no_send:
            await text.send("nope")
        await fake.wait_until(lambda: not text.permissions_for(text.guild.me).send_messages)
    assert no_thread.value.code == no_send.value.code == 50013


async def test_member_messages_edits_and_deletes_reach_handlers(
    fake: FakeDiscord, world: World
) -> None:
    _, channel, alice = world
    thread = fake.add_thread(channel, "discussion", owner=alice)
    inbox = Inbox()
    async with running_client(recording_client(inbox), fake):
        said = await fake.member_says(channel, alice, "my answer: use a CDN")
        message = await inbox.get("message")
        original_content = message.content
        await fake.edit_message(said, "my answer: use a CDN and ETags")
        edit = await inbox.get("edit")
        await fake.delete_message(said)
        delete = await inbox.get("delete")
        opener = await fake.member_says(thread, alice, "thread opener")
        await inbox.get("message")
        in_thread = await fake.member_says(thread, alice, "thread reply", reply_to=opener)
        threaded = await inbox.get("message")
    assert original_content == "my answer: use a CDN" and message.author.id == alice.id
    assert message.content.endswith("ETags")  # discord.py updates the cached message in place
    assert isinstance(message.author, discord.Member) and message.guild is not None
    assert edit.message_id == int(said["id"]) and edit.message.content.endswith("ETags")
    assert delete.message_id == int(said["id"]) and delete.cached_message is not None
    assert in_thread["channel_id"] == str(thread.id)
    assert isinstance(threaded.channel, discord.Thread) and threaded.channel.parent_id == channel.id
    assert threaded.reference is not None and threaded.reference.message_id == int(opener["id"])


async def test_429_is_retried_and_succeeds(fake: FakeDiscord, world: World) -> None:
    _, channel, _ = world
    fake.fail_next("POST", MESSAGES, status=429, retry_after=0.2)
    async with running_client(discord.Client(**client_options()), fake) as client:
        text = client.get_channel(channel.id)
        assert isinstance(text, discord.TextChannel)
        started = time.monotonic()
        sent = await text.send("after a rate limit")
        elapsed = time.monotonic() - started
    attempts = fake.requests_to("POST", MESSAGES)
    assert [r.status for r in attempts] == [429, 200]
    assert sent.content == "after a rate limit" and elapsed >= 0.2
    assert fake.rate_limited_count == 1


async def test_message_content_not_granted_closes_4014(fake: FakeDiscord, world: World) -> None:
    fake.message_content_granted = False
    with pytest.raises(discord.PrivilegedIntentsRequired):
        async with running_client(discord.Client(**client_options()), fake):
            pass
    assert fake.gateway.close_codes == [4014]
    assert fake.identify_count == 0


async def test_disconnect_resumes_and_replays_missed_events(
    fake: FakeDiscord, world: World
) -> None:
    _, channel, alice = world
    inbox = Inbox()
    async with running_client(recording_client(inbox), fake):
        await inbox.get("ready")
        await fake.disconnect_clients()
        await fake.member_says(channel, alice, "said while you were away")
        await inbox.get("resumed")
        missed = await inbox.get("message")
    assert missed.content == "said while you were away"
    assert fake.resume_count == 1 and fake.identify_count == 1
    assert inbox.count("ready") == 0  # a RESUME does not fire on_ready again


async def test_invalid_session_reidentifies_and_fires_ready_again(
    fake: FakeDiscord, world: World
) -> None:
    _, channel, alice = world
    inbox = Inbox()
    async with running_client(recording_client(inbox), fake):
        await inbox.get("ready")
        await fake.invalidate_sessions()
        await inbox.get("ready")
        await fake.member_says(channel, alice, "hello again")
        message = await inbox.get("message")
    assert fake.identify_count == 2 and fake.resume_count == 0
    assert message.content == "hello again"
