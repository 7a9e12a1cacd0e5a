"""REST details: injected failures, enforced rate limits, unknown routes, auth, DMs."""

from __future__ import annotations

import aiohttp
import discord
import pytest

from .conftest import World
from .harness import Inbox, client_options, recording_client, running_client
from .server import FakeDiscord

MESSAGES = "/channels/{channel_id}/messages"


async def test_injected_403_and_500(fake: FakeDiscord, world: World) -> None:
    _, channel, _ = world
    fake.fail_next("POST", f"/channels/{channel.id}/messages", status=403)
    fake.fail_next("POST", MESSAGES, status=500)
    async with running_client(discord.Client(**client_options()), fake) as client:
        text = client.get_channel(channel.id)
        assert isinstance(text, discord.TextChannel)
        with pytest.raises(discord.Forbidden):
            await text.send("refused")
        sent = await text.send("retried after a 500")  # discord.py sleeps 1 s, then retries
    assert [r.status for r in fake.requests_to("POST", MESSAGES)] == [403, 500, 200]
    assert sent.content == "retried after a 500"


async def test_rate_limit_enforcement_sends_real_429s(fake: FakeDiscord) -> None:
    fake.rate_limit(per_second=2)
    headers = {"Authorization": f"Bot {fake.token}"}
    async with aiohttp.ClientSession(headers=headers) as http:
        responses = []
        for _ in range(3):
            async with http.get(f"{fake.api_url}/users/@me") as response:
                responses.append((response.status, response.headers, await response.json()))
    assert [status for status, _, _ in responses] == [200, 200, 429]
    _, limited_headers, body = responses[-1]
    assert limited_headers["Via"] and limited_headers["Content-Type"] == "application/json"
    assert body["global"] is False and 0 < body["retry_after"] <= 1
    assert responses[1][1]["X-RateLimit-Remaining"] == "0"
    assert fake.rate_limited_count == 1


async def test_the_global_limit_counts_every_route_but_interactions(fake: FakeDiscord) -> None:
    fake.global_rate_limit(2)
    headers = {"Authorization": f"Bot {fake.token}"}
    paths = ("/users/@me", "/gateway/bot", "/webhooks/1/no-such-token", "/users/@me")
    answers = []
    async with aiohttp.ClientSession(headers=headers) as http:
        for path in paths:
            async with http.get(f"{fake.api_url}{path}") as response:
                answers.append((response.status, response.headers, await response.json()))
    assert [status for status, _, _ in answers] == [200, 200, 405, 429]  # the webhook: not limited
    _, limited_headers, body = answers[-1]
    assert limited_headers["X-RateLimit-Global"] == "true"
    assert limited_headers["X-RateLimit-Scope"] == "global"
    assert body["global"] is True and 0 < body["retry_after"] <= 1
    assert fake.global_limited_count == fake.rate_limited_count == 1


async def test_unknown_route_is_404_json_and_recorded(fake: FakeDiscord) -> None:
    headers = {"Authorization": f"Bot {fake.token}"}
    async with aiohttp.ClientSession(headers=headers) as http:
        async with http.get(f"{fake.api_url}/no/such/route") as response:
            assert response.status == 404
            assert response.headers["Content-Type"] == "application/json"
            assert (await response.json())["code"] == 0
        async with http.get(f"{fake.api_url}/gateway/bot") as response:
            assert (await response.json())["url"] == fake.gateway_url
    assert fake.requests_to("GET", "/no/such/route")[0].status == 404


async def test_bad_token_is_a_login_failure(fake: FakeDiscord) -> None:
    client = discord.Client(**client_options())
    with pytest.raises(discord.LoginFailure):
        await client.login("wrong-token")
    await client.close()
    assert fake.requests[0].status == 401


async def test_direct_messages_both_ways(fake: FakeDiscord, world: World) -> None:
    guild, _, alice = world
    inbox = Inbox()
    async with running_client(recording_client(inbox), fake) as client:
        cached_guild = client.get_guild(guild.id)
        assert cached_guild is not None
        member = await cached_guild.fetch_member(alice.id)
        sent = await member.send("Your daily drill")
        await inbox.get("message")
        await fake.member_says(fake.dm_channel(alice), alice, "my answer")
        reply = await inbox.get("message")
    assert isinstance(sent.channel, discord.DMChannel) and sent.guild is None
    assert isinstance(reply.channel, discord.DMChannel) and reply.author.id == alice.id
    assert fake.requests_to("POST", "/users/@me/channels")[0].json == {"recipient_id": alice.id}


async def test_enforce_nonce_returns_the_earlier_message_instead_of_a_new_one(
    fake: FakeDiscord, world: World
) -> None:
    _, channel, _ = world
    async with running_client(discord.Client(**client_options()), fake) as client:
        text = client.get_channel(channel.id)
        assert isinstance(text, discord.TextChannel)
        first = await text.send("once", nonce="drill-1")  # discord.py adds enforce_nonce
        again = await text.send("once", nonce="drill-1")
        other = await text.send("twice", nonce="drill-2")
    assert first.id == again.id != other.id
    assert fake.requests_to("POST", MESSAGES)[0].json["enforce_nonce"] is True
    assert len(fake.messages_in(channel)) == 2
    headers = {"Authorization": f"Bot {fake.token}"}
    url = f"{fake.api_url}/channels/{channel.id}/messages"
    plain = {"content": "once", "nonce": "drill-1"}  # without enforce_nonce: no check
    async with aiohttp.ClientSession(headers=headers) as http, http.post(url, json=plain) as sent:
        assert (await sent.json())["id"] != str(first.id)
    assert len(fake.messages_in(channel)) == 3


async def test_a_lost_response_was_carried_out(fake: FakeDiscord, world: World) -> None:
    _, channel, _ = world
    fake.lose_next_response("POST", MESSAGES)
    async with running_client(discord.Client(**client_options()), fake) as client:
        text = client.get_channel(channel.id)
        assert isinstance(text, discord.TextChannel)
        with pytest.raises((aiohttp.ClientError, OSError)):
            await text.send("did it go out?", nonce="n-1")
    assert [m["content"] for m in fake.messages_in(channel)] == ["did it go out?"]
