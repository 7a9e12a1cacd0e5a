"""Socket Mode: the same app over the fake's WebSocket, acknowledged per envelope."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from pydantic import SecretStr

from bot.core.services.context import Core
from bot.core.services.sweep import run_due_work
from bot.platforms.health import ConnectionFailed
from bot.platforms.slack_app.runtime import SlackRuntime
from bot.storage.tables import answers, slack_events
from tests.fakes.slack import FakeSlack, event_callback, message_event, slash_command
from tests.fakes.slack.waiting import wait_until
from tests.platforms.slack_app.conftest import Clock, slack_settings
from tests.support.rows import count_rows


@pytest.fixture
async def socket_runtime(
    core: Core, database: Any, fake: FakeSlack, clock: Clock
) -> AsyncIterator[SlackRuntime]:
    settings = slack_settings(fake, app_token=SecretStr(fake.app_token), signing_secret=None)
    runtime = SlackRuntime(core, settings, database.engine, clock=clock, pace_seconds=0.0)
    await runtime.start()
    try:
        yield runtime
    finally:
        await runtime.stop()
        await runtime.stop()  # safe twice
    assert fake.socket.connected == 0
    fake.assert_no_violations()


async def _send(
    fake: FakeSlack, runtime: SlackRuntime, payload: Any, **retry: Any
) -> dict[str, Any]:
    if retry:
        envelope_id = await fake.socket.send_envelope(payload.envelope(**retry))
    else:
        envelope_id = await fake.socket_send_payload(payload)
    ack = await fake.wait_for_ack(envelope_id)
    await runtime.services.idle()
    return ack


async def test_commands_and_events_over_socket_mode(
    socket_runtime: SlackRuntime, fake: FakeSlack, core: Core, clock: Clock, database: Any
) -> None:
    assert socket_runtime.port is None and fake.socket.connected == 1
    alice, bob = fake.add_user("alice", admin=True), fake.add_user("bob")
    channel = fake.add_channel("drills")
    command = slash_command(
        text="admin channel",
        user_id=alice,
        channel_id=channel,
        response_url=fake.new_response_url(),
    )
    assert await _send(fake, socket_runtime, command) == {
        "envelope_id": fake.socket.sent[-1]["envelope_id"]
    }
    assert fake.messages(channel)[0].text.startswith("This channel is now a drill channel")
    clock.now += timedelta(hours=1)
    await run_due_work(core, {"slack": socket_runtime.platform}, clock.now)
    drill = fake.messages(channel)[-1]
    reply = event_callback(
        message_event("An answer over a socket.", user=bob, channel=channel, thread_ts=drill.ts),
        event_id="EvSOCKET01",
    )
    await _send(fake, socket_runtime, reply)
    await _send(fake, socket_runtime, reply, retry_attempt=1, retry_reason="timeout")
    await wait_until(
        lambda: len(fake.thread(channel, drill.ts)) == 1, timeout=2, what="vote prompt"
    )
    assert await count_rows(database, answers) == 1
    assert await count_rows(database, slack_events) == 1
    assert len(fake.calls_to("apps.connections.open")) == 1
    assert fake.calls_to("apps.connections.open")[0].token == fake.app_token


@pytest.fixture
async def watched(
    core: Core, database: Any, fake: FakeSlack, clock: Clock
) -> AsyncIterator[SlackRuntime]:
    """Socket Mode with a short ping interval, so reconnects happen within a test."""
    settings = slack_settings(fake, app_token=SecretStr(fake.app_token), signing_secret=None)
    runtime = SlackRuntime(
        core, settings, database.engine, clock=clock, pace_seconds=0.0, ping_seconds=0.2
    )
    await runtime.start()
    try:
        yield runtime
    finally:
        await runtime.stop()


async def test_a_dropped_socket_is_reconnected(
    watched: SlackRuntime, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    assert (await watched.health.report())[0]
    for round_trip in (2, 3):
        await fake.socket.close()  # a network fault, or Slack closing the socket
        await wait_until(
            lambda n=round_trip: fake.socket.connections_total >= n and fake.socket.connected,
            timeout=5,
            what="a new Socket Mode connection",
        )
    alice, channel = fake.add_user("alice", admin=True), fake.add_channel("drills")
    command = slash_command(
        text="help", user_id=alice, channel_id=channel, response_url=fake.new_response_url()
    )
    await _send(fake, watched, command)
    assert "Drillbot commands" in str(await fake.wait_for_response())
    assert not watched.health.failed.is_set()
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_a_revoked_app_token_fails_the_connection_for_good(
    watched: SlackRuntime, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    opened = len(fake.calls_to("apps.connections.open"))
    fake.revoke_token(fake.app_token)
    await fake.socket.close()
    await asyncio.wait_for(watched.health.failed.wait(), timeout=5)
    healthy, report = await watched.health.report()
    assert not healthy and report["platforms"]["slack"]["state"] == "failed"
    assert "token_revoked" in report["platforms"]["slack"]["detail"]
    assert "SLACK_APP_TOKEN" in report["platforms"]["slack"]["detail"]
    await asyncio.sleep(0.6)  # a few ping intervals: no more attempts, no error lines
    assert len(fake.calls_to("apps.connections.open")) == opened + 1
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_an_app_token_refused_at_start_stops_the_start(
    core: Core, database: Any, fake: FakeSlack, clock: Clock
) -> None:
    settings = slack_settings(
        fake, app_token=SecretStr("xapp-1-A0-1-nonsense"), signing_secret=None
    )
    runtime = SlackRuntime(core, settings, database.engine, clock=clock, ping_seconds=0.2)
    with pytest.raises(ConnectionFailed, match=r"invalid_auth.*connections:write.*SLACK_APP_TOKEN"):
        await runtime.start()
    await runtime.stop()
    assert len(fake.calls_to("apps.connections.open")) == 1
