"""Drivers for the Discord adapter tests: runtimes, the simulated clock, members' actions, and
queries on the fake (what was sent) and on the database (what the core recorded)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy import select

from bot.core.services.context import Core
from bot.core.services.sweep import SweepReport, run_due_work
from bot.platforms.discord_app.runtime import DiscordRuntime
from bot.storage.tables import answer_messages, answers, posts
from bot.storage.uow import UnitOfWork
from config.settings import DiscordSettings
from tests.fakes.discord import FakeChannel, FakeDiscord, FakeGuild, FakeInteraction, FakeMember

PAYLOADS = Path(__file__).parent / "payloads"
MESSAGES = "/channels/{channel_id}/messages"
CALLBACK = "/interactions/{interaction_id}/{token}/callback"
FOLLOWUP = "/webhooks/{application_id}/{token}"


def payload(name: str) -> dict[str, Any]:
    """A recorded payload from ``payloads/<name>.json``."""
    loaded = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


@dataclass(frozen=True)
class Hall:
    guild: FakeGuild
    channel: FakeChannel
    admin: FakeMember
    alice: FakeMember
    bob: FakeMember
    carol: FakeMember


def settings_for(fake: FakeDiscord, guild_id: int | None = None) -> DiscordSettings:
    return DiscordSettings(
        DISCORD_TOKEN=SecretStr(fake.token),
        api_url=fake.api_url,
        gateway_url=fake.gateway_url,
        guild_id=guild_id,
    )


@dataclass
class Drive:
    fake: FakeDiscord
    hall: Hall
    core: Core
    clock: Clock
    settings: DiscordSettings
    runtimes: list[DiscordRuntime] = field(default_factory=list)

    # --- runtimes and due work --------------------------------------------------------

    async def start(self, **options: Any) -> DiscordRuntime:
        options.setdefault("client_options", {"guild_ready_timeout": 0.1})
        settings = options.pop("settings", self.settings)
        runtime = DiscordRuntime(self.core, settings, clock=self.clock, **options)
        self.runtimes.append(runtime)
        await runtime.start()
        return runtime

    @property
    def runtime(self) -> DiscordRuntime:
        return self.runtimes[-1]

    async def stop(self) -> None:
        for runtime in self.runtimes:
            await runtime.stop()

    async def sweep(self, at: datetime) -> SweepReport:
        self.clock.now = at
        return await run_due_work(self.core, {"discord": self.runtime.platform}, at)

    async def first_drill(self, at: datetime) -> FakeChannel:
        """Start the bot, register the hall's channel and post its first drill at ``at``: the
        drill's thread, where members answer."""
        await self.start()
        await self.admin("channel")
        await self.sweep(at)
        return self.thread((await self.posts())["drill:1"]["thread_ref"])

    # --- members ----------------------------------------------------------------------

    async def slash(
        self,
        member: FakeMember,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        subcommand: str | None = None,
        channel: FakeChannel | None = None,
    ) -> FakeInteraction:
        where = channel or self.hall.channel
        record = await self.fake.invoke_slash(
            self.hall.guild, where, member, name, options, subcommand=subcommand
        )
        return await answered(record)

    async def admin(self, sub: str, value: str | None = None, **kw: Any) -> FakeInteraction:
        options = {"value": value} if value is not None else None
        return await self.slash(self.hall.admin, "drill-admin", options, subcommand=sub, **kw)

    async def click(self, message: Any, custom_id: str, member: FakeMember) -> FakeInteraction:
        return await answered(await self.fake.click_button(message, custom_id, member))

    async def answer(self, thread: FakeChannel, member: FakeMember, text: str) -> dict[str, Any]:
        """A member's message in a thread, once the core has stored it."""
        message = await self.fake.member_says(thread, member, text)
        await self.until(lambda uow: message_answer(uow, message["id"]) is not None)
        return message

    async def until(self, check: Callable[[UnitOfWork], object], timeout: float = 10.0) -> None:
        """Poll the database until ``check`` is truthy (handlers run asynchronously)."""
        async with asyncio.timeout(timeout):
            while not await self.core.db.run(check):
                await asyncio.sleep(0.02)

    # --- what was sent ----------------------------------------------------------------

    def thread(self, thread_ref: str | None) -> FakeChannel:
        assert thread_ref is not None
        return self.fake.state.channels[int(thread_ref)]

    def bot_messages(self, channel: FakeChannel) -> list[dict[str, Any]]:
        bot = str(self.fake.bot_user.id)
        return [m for m in self.fake.messages_in(channel) if m["author"]["id"] == bot]

    def ballot(self, thread: FakeChannel, answer_id: int) -> dict[str, Any] | None:
        prefix = f"Answer #{answer_id} by"
        found = [m for m in self.bot_messages(thread) if m["content"].startswith(prefix)]
        return found[0] if found else None

    async def wait_ballot(self, thread: FakeChannel, answer_id: int) -> dict[str, Any]:
        await self.fake.wait_until(lambda: self.ballot(thread, answer_id) is not None, 10.0)
        found = self.ballot(thread, answer_id)
        assert found is not None
        return found

    async def posts(self) -> dict[str, dict[str, Any]]:
        """Every queued post by claim key: status, attempts, last_error, refs."""
        rows = await self.core.db.run(lambda uow: uow.connection.execute(select(posts)).all())
        return {row.claim_key: dict(row._mapping) for row in rows}


async def answered(record: FakeInteraction) -> FakeInteraction:
    """Wait for the interaction's response (and the followup that fills a defer)."""
    await record.wait_for_response(10.0)
    if record.response_type == 5:
        await record.wait_for_followups(1, 10.0)
    return record


def reply_of(record: FakeInteraction) -> dict[str, Any]:
    """The message a member saw: the followup filling a defer, else the response itself."""
    return record.followups[0] if record.followups else record.response_data


def embed_of(record: FakeInteraction) -> dict[str, Any]:
    embeds = reply_of(record).get("embeds") or []
    assert embeds, f"no embed in {reply_of(record)}"
    return dict(embeds[0])


def message_answer(uow: UnitOfWork, message_ref: str) -> int | None:
    query = select(answer_messages.c.answer_id).where(answer_messages.c.message_ref == message_ref)
    return uow.connection.execute(query).scalar()


def answer_row(uow: UnitOfWork, answer_id: int) -> Any:
    return uow.connection.execute(select(answers).where(answers.c.id == answer_id)).one()
