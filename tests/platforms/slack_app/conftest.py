"""The real bolt app of ``SlackRuntime`` against the fake Slack, on the test database.

``driver`` runs the runtime in HTTP mode (single workspace) on a free port and sends it signed
requests; ``clock`` is the simulated time every listener and the sweep use.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from pydantic import SecretStr

from bot.core.services.context import Core
from bot.core.services.sweep import next_wakeup, run_due_work
from bot.platforms.slack_app.runtime import SlackRuntime
from bot.storage.uow import Database
from config.settings import SlackSettings
from tests.fakes.slack import (
    FakeSlack,
    Message,
    ResponseUrlPost,
    SlackPayload,
    block_actions,
    event_callback,
    message_event,
    slash_command,
)
from tests.fakes.slack.conftest import fake, no_leaks
from tests.fakes.slack.models import TsClock
from tests.fakes.slack.templates import new_ts

__all__ = ["fake", "no_leaks"]  # the fake's fixtures, shared with these tests
PAYLOADS = Path(__file__).with_name("payloads")


def payload(name: str) -> dict[str, Any]:
    """A recorded payload shape from ``payloads/<name>.json`` (a fresh copy)."""
    data = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def slack_settings(fake: FakeSlack, **overrides: Any) -> SlackSettings:
    """Settings for the fake, without reading the environment (port 0: any free port)."""
    values: dict[str, Any] = {
        "bot_token": SecretStr(fake.bot_token),
        "signing_secret": SecretStr(fake.signing_secret),
        "app_token": None,
        "client_id": None,
        "client_secret": None,
        "port": 0,
        "api_url": fake.base_url,
        "admins": "",
    }
    values.update(overrides)
    return SlackSettings.model_construct(**values)


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Driver:
    """Drives one running ``SlackRuntime`` the way Slack would."""

    fake: FakeSlack
    core: Core
    runtime: SlackRuntime
    clock: Clock
    http: aiohttp.ClientSession
    channel: str = ""
    users: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.runtime.port}"

    async def send(self, item: SlackPayload, **signing: Any) -> tuple[int, str]:
        """POST a signed request to /slack/events and wait until its listeners are done."""
        request = item.signed(self.fake.signing_secret, **signing)
        async with self.http.post(
            f"{self.url}/slack/events", data=request.body, headers=request.headers
        ) as response:
            status, body = response.status, await response.text()
        await self.settle()
        return status, body

    async def settle(self) -> None:
        await self.runtime.services.idle()

    async def command(
        self, user: str, text: str, channel: str | None = None
    ) -> ResponseUrlPost | None:
        """``/drill text`` by ``user`` (a name from ``users``); the private reply, if any."""
        before = len(self.fake.responses)
        request = slash_command(
            text=text,
            user_id=self.users[user],
            user_name=user,
            channel_id=channel or self.channel,
            response_url=self.fake.new_response_url(),
        )
        status, _ = await self.send(request)
        assert status == 200
        return self.fake.responses[before] if len(self.fake.responses) > before else None

    async def say(
        self,
        user: str,
        text: str,
        thread_ts: str | None = None,
        *,
        ts: str | None = None,
        event_id: str | None = None,
        retry_num: int | None = None,
    ) -> str:
        """``user`` posts ``text`` (in a thread when ``thread_ts`` is given); the message ts."""
        ts = ts or new_ts()
        event = message_event(
            text, user=self.users[user], channel=self.channel, ts=ts, thread_ts=thread_ts
        )
        status, _ = await self.send(event_callback(event, event_id=event_id), retry_num=retry_num)
        assert status == 200
        return ts

    async def click(self, user: str, action_id: str, value: str, message: Message) -> None:
        """``user`` clicks a button of a message the bot posted."""
        shape = {"thread_ts": message.thread_ts} if message.thread_ts else {}
        click = block_actions(
            action_id,
            value,
            user_id=self.users[user],
            channel_id=message.channel,
            message_ts=message.ts,
            message=shape,
            response_url=self.fake.new_response_url(),
        )
        status, _ = await self.send(click)
        assert status == 200

    def drills(self) -> list[Message]:
        """The drill posts in the channel (top-level bot messages that open with a header)."""
        return [
            m
            for m in self.fake.messages(self.channel)
            if m.bot_id and m.thread_ts is None and m.blocks and m.blocks[0]["type"] == "header"
        ]

    def vote_buttons(self, thread_ts: str, action_id: str = "vote") -> dict[int, Message]:
        """The ballots in a drill's thread (messages with a Vote button), by answer id."""
        found = {}
        for m in self.fake.thread(self.channel, thread_ts):
            for button in ballot_buttons(m):
                if button.get("action_id") == action_id:
                    found[int(button["value"])] = m
        return found

    def ephemerals_to(self, user: str) -> list[str]:
        return [e.text for e in self.fake.ephemerals if e.user == self.users[user]]

    async def advance(self, step: timedelta) -> None:
        """Move the clock, running every due moment in order (as the console does)."""
        target = self.clock.now + step
        platforms = {"slack": self.runtime.platform}
        while (moment := await next_wakeup(self.core)) is not None and moment <= target:
            self.clock.now = max(self.clock.now, moment)
            await run_due_work(self.core, platforms, self.clock.now)
        self.clock.now = target
        await run_due_work(self.core, platforms, self.clock.now)


def ballot_buttons(message: Message) -> list[dict[str, Any]]:
    """The buttons of a ballot's actions block (none for other messages)."""
    actions = [b for b in message.blocks or [] if b.get("type") == "actions"]
    return [e for b in actions for e in b.get("elements", []) if e.get("type") == "button"]


@pytest.fixture
def clock(monday_morning: datetime) -> Clock:
    return Clock(monday_morning)


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@asynccontextmanager
async def running_driver(
    core: Core,
    database: Database,
    fake: FakeSlack,
    clock: Clock,
    http: aiohttp.ClientSession,
    **options: Any,
) -> AsyncIterator[Driver]:
    """A started ``SlackRuntime`` in HTTP mode (``options`` go to it), with five members. The
    fake stamps messages with the simulated clock, as Slack's clock agrees with the bot's."""
    fake.clock = TsClock(source=lambda: clock.now.timestamp())
    settings = slack_settings(fake, admins=options.pop("admins", "U0LISTEDADM"))
    runtime = SlackRuntime(
        core, settings, database.engine, clock=clock, pace_seconds=0.0, host="127.0.0.1", **options
    )
    await runtime.start()
    try:
        users = {name: fake.add_user(name) for name in ("bob", "carol", "dave", "erin")}
        users["alice"] = fake.add_user("alice", admin=True)
        yield Driver(fake, core, runtime, clock, http, fake.add_channel("drills"), users)
    finally:
        await runtime.stop()
    fake.assert_no_violations()


@pytest.fixture
async def driver(
    core: Core, database: Database, fake: FakeSlack, clock: Clock, http: aiohttp.ClientSession
) -> AsyncIterator[Driver]:
    async with running_driver(core, database, fake, clock, http) as running:
        yield running
