"""A real bolt ``AsyncApp`` driven through the fake: HTTP mode (signed requests) and Socket Mode."""

from __future__ import annotations

import time
from typing import Any

import aiohttp
import pytest
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakes.slack import (
    FakeSlack,
    HttpRequest,
    app_home_opened_event,
    block_actions,
    event_callback,
    message_changed_event,
    message_deleted_event,
    message_event,
    serve_bolt_app,
    slash_command,
    socket_mode_handler,
    view_submission,
)
from tests.fakes.slack.waiting import wait_until

JSON = dict[str, Any]


def make_app(fake: FakeSlack) -> AsyncApp:
    client = AsyncWebClient(base_url=fake.base_url, token=fake.bot_token)
    return AsyncApp(signing_secret=fake.signing_secret, client=client)


async def post(url: str, req: HttpRequest) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as http,
        http.post(url, data=req.body, headers=req.headers) as r,
    ):
        return r.status, await r.text()


async def test_http_slash_command_acks_fast_and_posts(fake: FakeSlack) -> None:
    channel, alice = fake.add_channel("drills"), fake.add_user("alice")
    app = make_app(fake)

    @app.command("/drill")
    async def drill(ack: Any, command: JSON, say: Any, respond: Any) -> None:
        await ack("Starting a drill")
        await say(f"Drill for <@{command['user_id']}>: {command['text']}")
        await respond("only you see this")

    response_url = fake.new_response_url()
    req = slash_command(
        text="caching", user_id=alice, channel_id=channel, response_url=response_url
    )
    async with serve_bolt_app(app) as url:
        started = time.monotonic()
        status, body = await post(url, req.signed(fake.signing_secret))
        assert time.monotonic() - started < 3.0
        assert status == 200
        assert "Starting a drill" in body
        reply = await fake.wait_for_response()
    assert reply.url == response_url
    assert reply.body["text"] == "only you see this"
    assert fake.messages(channel)[0].text == f"Drill for <@{alice}>: caching"
    assert len(fake.calls_to("auth.test")) == 1  # bolt's single-team authorization


@pytest.mark.parametrize(
    "options",
    [{"signature": "wrong"}, {"signature": "missing"}, {"stale": True}],
    ids=["wrong-signature", "no-signature", "stale-timestamp"],
)
async def test_http_rejects_unverifiable_requests(fake: FakeSlack, options: JSON) -> None:
    app = make_app(fake)
    handled: list[JSON] = []

    @app.command("/drill")
    async def drill(ack: Any, command: JSON) -> None:
        handled.append(command)
        await ack()

    async with serve_bolt_app(app) as url:
        status, _ = await post(url, slash_command().signed(fake.signing_secret, **options))
    assert status == 401
    assert handled == []
    assert fake.calls == []


async def test_http_events_reach_message_handlers(fake: FakeSlack) -> None:
    channel, alice = fake.add_channel("drills"), fake.add_user("alice")
    parent = fake.add_message(channel, "question", user=alice)
    app = make_app(fake)
    seen: list[tuple[str | None, JSON]] = []

    @app.event("message")
    async def on_message(event: JSON, request: Any) -> None:
        seen.append((request.headers.get("x-slack-retry-num", [None])[0], event))

    @app.event("app_home_opened")
    async def on_home(event: JSON, client: AsyncWebClient) -> None:
        await client.views_publish(user_id=event["user"], view={"type": "home", "blocks": []})

    events = [
        message_event("my answer", user=alice, channel=channel, thread_ts=parent),
        message_changed_event(
            ts=parent, text="question v2", previous_text="question", user=alice, channel=channel
        ),
        message_deleted_event(deleted_ts=parent, previous_text="question v2", channel=channel),
        app_home_opened_event(user=alice),
    ]
    async with serve_bolt_app(app) as url:
        for index, event in enumerate(events):
            req = event_callback(event).signed(fake.signing_secret, retry_num=index or None)
            assert (await post(url, req))[0] == 200
        await wait_until(
            lambda: len(seen) == 3 and alice in fake.home_views,
            timeout=2.0,
            what="all events handled",
        )
    retry_nums = [num for num, _ in seen]
    assert retry_nums == [None, "1", "2"]
    assert seen[0][1]["thread_ts"] == parent
    assert [e.get("subtype") for _, e in seen] == [None, "message_changed", "message_deleted"]


async def test_http_block_actions_and_view_submission(fake: FakeSlack) -> None:
    channel, alice = fake.add_channel("drills"), fake.add_user("alice")
    bot = AsyncWebClient(base_url=fake.base_url, token=fake.bot_token)
    drill = await bot.chat_postMessage(channel=channel, text="Today's drill")
    app = make_app(fake)
    submitted: list[JSON] = []

    @app.action("drill_answer")
    async def on_click(ack: Any, body: JSON, action: JSON, client: AsyncWebClient) -> None:
        await ack()
        await client.chat_update(
            channel=body["channel"]["id"],
            ts=body["message"]["ts"],
            text=f"{body['user']['id']} chose {action['value']}",
        )

    @app.view("drill_answer")
    async def on_submit(ack: Any, view: JSON) -> None:
        await ack()
        submitted.append(view)

    click = block_actions(
        "drill_answer", "drill-7", user_id=alice, channel_id=channel, message_ts=drill["ts"]
    )
    submission = view_submission(
        "drill_answer", "drill-7", {"answer": {"text": "use a queue"}}, user_id=alice
    )
    async with serve_bolt_app(app) as url:
        assert (await post(url, click.signed(fake.signing_secret)))[0] == 200
        assert (await post(url, submission.signed(fake.signing_secret)))[0] == 200
        await fake.wait_for_call("chat.update")
    assert fake.messages(channel)[0].text == f"{alice} chose drill-7"
    assert submitted[0]["private_metadata"] == "drill-7"
    assert submitted[0]["state"]["values"]["answer"]["text"]["value"] == "use a queue"


async def test_socket_mode_slash_command_is_handled_and_acked(fake: FakeSlack) -> None:
    channel = fake.add_channel("drills")
    app = make_app(fake)

    @app.command("/drill")
    async def drill(ack: Any, say: Any) -> None:
        await ack("on it")
        await say("posted via socket mode")

    handler = AsyncSocketModeHandler(app, app_token=fake.app_token)
    await handler.connect_async()  # type: ignore[no-untyped-call]
    try:
        await fake.socket.wait_connected()
        envelope_id = await fake.socket_send(
            "slash_commands", slash_command(channel_id=channel).data
        )
        ack = await fake.wait_for_ack(envelope_id, timeout=2.0)
        await fake.wait_for_call("chat.postMessage")
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]
    assert ack == {"envelope_id": envelope_id, "payload": {"text": "on it"}}
    assert fake.messages(channel)[0].text == "posted via socket mode"
    assert fake.calls_to("apps.connections.open")[0].token == fake.app_token


async def test_socket_mode_events_and_interactivity(fake: FakeSlack) -> None:
    channel = fake.add_channel("drills")
    app = make_app(fake)
    got: list[str] = []

    @app.event("message")
    async def on_message(event: JSON) -> None:
        got.append(event["text"])

    @app.action("drill_answer")
    async def on_click(ack: Any, action: JSON) -> None:
        await ack()
        got.append(action["value"])

    async with socket_mode_handler(app, fake):
        event_id = await fake.socket_send_payload(
            event_callback(message_event("hi", channel=channel))
        )
        click_id = await fake.socket_send_payload(block_actions("drill_answer", "b1"))
        assert await fake.wait_for_ack(event_id) == {"envelope_id": event_id}
        assert await fake.wait_for_ack(click_id) == {"envelope_id": click_id}
        await wait_until(lambda: len(got) == 2, timeout=2.0, what="both handlers")
    assert sorted(got) == ["b1", "hi"]


async def test_sdk_socket_mode_client_retries_and_reconnects(fake: FakeSlack) -> None:
    client = SocketModeClient(
        app_token=fake.app_token, web_client=AsyncWebClient(base_url=fake.base_url)
    )
    received: list[SocketModeRequest] = []

    async def listener(sm: SocketModeClient, req: SocketModeRequest) -> None:
        received.append(req)
        await sm.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))

    client.socket_mode_request_listeners.append(listener)  # type: ignore[arg-type]
    try:
        await client.connect()  # type: ignore[no-untyped-call]
        payload = event_callback(message_event("again")).data
        first = await fake.socket_send(
            "events_api", payload, retry_attempt=1, retry_reason="timeout"
        )
        await fake.wait_for_ack(first)
        await fake.socket.disconnect("refresh_requested")
        await wait_until(
            lambda: fake.socket.connections_total == 2 and fake.socket.connected == 1,
            timeout=2.0,
            what="the client to reconnect",
        )
        second = await fake.socket_send("events_api", payload)
        await fake.wait_for_ack(second)
    finally:
        await client.close()  # type: ignore[no-untyped-call]
    assert (received[0].retry_attempt, received[0].retry_reason) == (1, "timeout")
    assert [r.envelope_id for r in received] == [first, second]
    assert len(fake.calls_to("apps.connections.open")) == 2
