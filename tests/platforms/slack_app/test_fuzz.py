"""Fuzzing what Slack delivers: every inbound payload shape (events, slash commands, block_actions,
view_submission), signed, with fields dropped or replaced by random JSON. Every request gets a
2xx or 4xx, and no listener or library logs an error or a traceback.

Hypothesis drives a synchronous test, so the real app runs on an event loop of its own, started
once for all examples (a round open, an answer and its ballot in place to aim at).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.services.context import Core
from bot.core.services.sweep import run_due_work
from bot.platforms.slack_app.runtime import SlackRuntime
from bot.storage.engine import open_database
from bot.storage.migrate import upgrade
from bot.storage.uow import Database
from drills import Catalogue
from tests.fakes.slack import (
    FakeSlack,
    SlackPayload,
    app_home_opened_event,
    block_actions,
    event_callback,
    message_changed_event,
    message_deleted_event,
    message_event,
    slash_command,
    view_submission,
)
from tests.platforms.slack_app.conftest import slack_settings

LEAF = (
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63)
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.sampled_from(["", "1", "0", "-1", "１", "99999999999999999999", "vote", "C0FK0000006"])
)
JSON_VALUE = st.recursive(
    LEAF,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


class Errors(logging.Handler):
    """Every record at ERROR, and any record carrying a traceback."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR or record.exc_info:
            self.records.append(record)


class Live:
    """The runtime, the fake Slack and the database, on their own event loop."""

    def __init__(self, folder: Path, bank: Catalogue) -> None:
        self.loop = asyncio.new_event_loop()
        self.folder, self.bank = folder, bank
        self.now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)

    def run(self, coroutine: Any) -> Any:
        return self.loop.run_until_complete(coroutine)

    async def start(self) -> None:
        self.database: Database = open_database(f"sqlite:///{self.folder}/fuzz.db")
        await upgrade(self.database)
        self.core = Core(db=self.database, bank=self.bank)
        self.fake = await FakeSlack().__aenter__()
        settings_ = slack_settings(self.fake)
        self.runtime = SlackRuntime(
            self.core,
            settings_,
            self.database.engine,
            clock=lambda: self.now,
            pace_seconds=0.0,
            host="127.0.0.1",
        )
        await self.runtime.start()
        self.http = aiohttp.ClientSession()
        self.alice = self.fake.add_user("alice", admin=True)
        self.bob = self.fake.add_user("bob")
        self.channel = self.fake.add_channel("drills")
        await self.send(
            slash_command(text="admin channel", user_id=self.alice, channel_id=self.channel)
        )
        self.now += timedelta(hours=1)
        await run_due_work(self.core, {"slack": self.runtime.platform}, self.now)
        self.thread = self.fake.messages(self.channel)[-1].ts
        await self.send(
            event_callback(
                message_event(
                    "an answer", user=self.bob, channel=self.channel, thread_ts=self.thread
                )
            )
        )

    async def send(self, payload: SlackPayload) -> int:
        request = payload.signed(self.fake.signing_secret)
        url = f"http://127.0.0.1:{self.runtime.port}/slack/events"
        async with self.http.post(url, data=request.body, headers=request.headers) as response:
            await response.read()
            status = response.status
        await self.runtime.services.idle(grace=10.0)
        return status

    async def stop(self) -> None:
        await self.http.close()
        await self.runtime.stop()
        await self.fake.__aexit__(None, None, None)
        await self.database.dispose()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, bank: Catalogue) -> Iterator[Live]:
    app = Live(tmp_path_factory.mktemp("fuzz"), bank)
    app.run(app.start())
    try:
        yield app
    finally:
        app.run(app.stop())
        app.loop.close()


@pytest.fixture
def no_leaks() -> None:
    """The fake's leak check runs on pytest's loop; this app has a loop of its own."""


@st.composite
def mangled(draw: st.DrawFn, value: Any, depth: int = 0) -> Any:
    """``value`` with some fields dropped, replaced by random JSON, or mangled further down."""
    if isinstance(value, dict) and depth < 4:
        out: dict[str, Any] = {}
        for key, item in value.items():
            choice = draw(st.sampled_from(["keep", "keep", "keep", "drop", "replace", "deeper"]))
            if choice == "replace":
                out[key] = draw(JSON_VALUE)
            elif choice == "deeper":
                out[key] = draw(mangled(item, depth + 1))
            elif choice == "keep":
                out[key] = item
        if draw(st.booleans()):
            out[draw(st.text(max_size=8))] = draw(JSON_VALUE)
        return out
    if isinstance(value, list) and value and depth < 4:
        return [draw(mangled(item, depth + 1)) for item in value]
    return value


def _shapes(live: Live) -> list[SlackPayload]:
    thread, bob, channel = live.thread, live.bob, live.channel
    return [
        event_callback(message_event("text", user=bob, channel=channel, thread_ts=thread)),
        event_callback(
            message_changed_event(
                ts=thread,
                text="new",
                previous_text="old",
                user=bob,
                channel=channel,
                thread_ts=thread,
            )
        ),
        event_callback(message_deleted_event(deleted_ts=thread, user=bob, channel=channel)),
        event_callback(app_home_opened_event(user=bob)),
        slash_command(text="vote 1", user_id=bob, channel_id=channel),
        slash_command(text="admin post-now", user_id=live.alice, channel_id=channel),
        block_actions("vote", "1", user_id=bob, channel_id=channel, message_ts=thread),
        block_actions("answer", "1", user_id=bob, channel_id=channel),
        block_actions("home_drill", channel, user_id=bob, view={"id": "V1", "type": "home"}),
        view_submission("answer", "1", {"answer": {"text": "x"}}, user_id=bob, view_id="V2"),
    ]


def _as_sent(kind: SlackPayload, data: Any) -> SlackPayload:
    if kind.envelope_type == "slash_commands":  # form fields are strings, whatever they hold
        fields = data if isinstance(data, dict) else {}
        data = {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in fields.items()}
    return SlackPayload(kind.envelope_type, data)


@settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_every_payload_shape_gets_2xx_or_4xx_and_logs_no_error(
    live: Live, data: st.DataObject
) -> None:
    kind = data.draw(st.sampled_from(_shapes(live)))
    payload = _as_sent(kind, data.draw(mangled(kind.data)))
    errors = Errors()
    logging.getLogger().addHandler(errors)
    try:
        status = live.run(live.send(payload))
    finally:
        logging.getLogger().removeHandler(errors)
    assert 200 <= status < 300 or 400 <= status < 500, status
    assert not errors.records, [r.getMessage() for r in errors.records]
