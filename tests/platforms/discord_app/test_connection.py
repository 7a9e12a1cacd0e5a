"""The watched gateway connection: malformed dispatches are skipped, resumable closes reconnect,
fatal closes end ``watch`` with the cause and the fix, and each state is recorded for status."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

import pytest

from bot.core.services.connections import connection_states
from bot.platforms.discord_app.runtime import DiscordRuntime
from bot.platforms.runtime import ConnectionLost
from tests.platforms.discord_app.helpers import Drive, message_answer

NINE = timedelta(hours=1)
SECRET = "do-not-log-this-payload"
MALFORMED = [
    ("MESSAGE_CREATE", {}),
    ("MESSAGE_CREATE", None),
    ("INTERACTION_CREATE", {}),
    ("INTERACTION_CREATE", None),
    ("MESSAGE_CREATE", {"id": SECRET}),
    ("INTERACTION_CREATE", {"type": 2, "token": SECRET}),
]


async def _drill_thread(drive: Drive, monday_morning: datetime) -> object:
    await drive.admin("channel")
    await drive.sweep(monday_morning + NINE)
    return drive.thread((await drive.posts())["drill:1"]["thread_ref"])


def _connected(runtime: DiscordRuntime) -> bool:
    connection = runtime._connection
    return connection is not None and not connection.done()


async def test_malformed_dispatches_are_skipped_and_later_events_still_handled(
    drive: Drive, monday_morning: datetime, caplog: pytest.LogCaptureFixture
) -> None:
    runtime = await drive.start()
    thread = await _drill_thread(drive, monday_morning)
    with caplog.at_level(logging.WARNING):
        for event, data in MALFORMED:
            await drive.fake.dispatch(event, data)
        await drive.fake.send_raw_frame(f"this is not JSON {SECRET}")
        await drive.fake.send_raw_frame("[1, 2, 3]")
        said = await drive.answer(thread, drive.hall.alice, "Still listening")  # type: ignore[arg-type]
    assert await drive.core.db.run(lambda uow: message_answer(uow, said["id"])) == 1
    skipped = [r for r in caplog.records if "skipped a gateway frame" in r.getMessage()]
    assert len(skipped) == len(MALFORMED) + 2
    assert SECRET not in caplog.text and _connected(runtime)
    assert drive.fake.identify_count == 1  # no reconnect was needed


@pytest.mark.parametrize("code", [1000, 4000, 4001, 4002, 4003, 4005, 4007, 4008, 4009])
async def test_a_resumable_close_reconnects_and_the_connection_stays_up(
    drive: Drive, monday_morning: datetime, code: int
) -> None:
    runtime = await drive.start()
    thread = await _drill_thread(drive, monday_morning)
    await drive.fake.disconnect_clients(code)
    reconnected = lambda: drive.fake.resume_count + drive.fake.identify_count >= 2  # noqa: E731
    await drive.fake.wait_until(reconnected, 10.0)
    await drive.answer(thread, drive.hall.bob, f"After a {code} close")  # type: ignore[arg-type]
    assert _connected(runtime)
    await _until_state(drive, "connected")  # RESUMED (or READY) is recorded once handled


async def _until_state(drive: Drive, state: str) -> None:
    async with asyncio.timeout(5.0):
        while [s.state for s in await connection_states(drive.core)] != [state]:
            await asyncio.sleep(0.02)


@pytest.mark.parametrize(
    ("code", "fix"),
    [
        (4004, "DISCORD_TOKEN"),
        (4010, "shard"),
        (4011, "DRILLBOT_DISCORD_SHARDED=true"),
        (4012, "upgrade"),
        (4013, "upgrade Drillbot"),
        (4014, "enable the Message Content intent"),
    ],
)
async def test_a_fatal_close_ends_watch_naming_the_cause_and_the_fix(
    drive: Drive, code: int, fix: str
) -> None:
    runtime = await drive.start()
    watching = asyncio.ensure_future(runtime.watch())
    await asyncio.sleep(0)
    await drive.fake.disconnect_clients(code)
    with pytest.raises(ConnectionLost) as lost:
        await asyncio.wait_for(watching, 10.0)
    message = str(lost.value)
    assert message.startswith(f"Discord closed the connection with {code} (") and fix in message
    states = await connection_states(drive.core)
    assert [(s.state, s.detail) for s in states] == [("failed", message)]


async def test_watch_returns_quietly_when_the_runtime_is_stopped(drive: Drive) -> None:
    runtime = await drive.start()
    await _until_state(drive, "connected")  # on_ready records it as a handler task
    watching = asyncio.ensure_future(runtime.watch())
    await asyncio.sleep(0)
    await runtime.stop()
    assert await asyncio.wait_for(watching, 10.0) is None
    assert [s.state for s in await connection_states(drive.core)] == ["stopped"]
