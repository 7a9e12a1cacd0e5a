"""Small drivers shared by the service tests."""

from __future__ import annotations

from datetime import datetime

from bot.core.cards import AnswerReceipt, DrillCard
from bot.core.model import Actor, Channel, Place
from bot.core.services import admin, answers, commands
from bot.core.services.context import Core
from bot.core.services.sweep import run_due_work
from tests.recording_platform import RecordingPlatform

PLATFORM = "test"
SPACE = "guild-1"
CHANNEL = "chan-1"


def member(name: str, admin_: bool = False, bot: bool = False) -> Actor:
    return Actor(PLATFORM, SPACE, f"u-{name}", name, is_admin=admin_, is_bot=bot)


def place(thread: str | None = None, channel: str = CHANNEL) -> Place:
    return Place(PLATFORM, SPACE, channel, thread)


async def register(
    core: Core, now: datetime, channel: str = CHANNEL, min_length: int | None = 0
) -> Channel:
    """A drill channel; ``min_length`` 0 lets the rules under test ignore answer length (the
    default minimum has its own tests); None keeps the default."""
    await admin.register_channel(core, place(channel=channel), now)
    if min_length is not None:
        text = f"admin min-length {min_length}"
        await commands.handle_command(
            core, member("admin", admin_=True), place(channel=channel), text, "len", now
        )
    return await reload(core, channel)


async def reload(core: Core, channel: str = CHANNEL) -> Channel:
    found = await core.db.run(lambda uow: uow.channels.find(PLATFORM, SPACE, channel))
    assert found is not None
    return found


async def tick(core: Core, platform: RecordingPlatform, now: datetime) -> None:
    await run_due_work(core, {PLATFORM: platform}, now)


def drill_threads(platform: RecordingPlatform) -> list[str]:
    """Thread refs the recording platform handed out for daily drill posts, in order."""
    return [
        f"thread-{i}" for i, d in enumerate(platform.deliveries, 1) if isinstance(d.card, DrillCard)
    ]


async def answer(
    core: Core, who: Actor, thread: str, ref: str, text: str, now: datetime
) -> AnswerReceipt | None:
    return await answers.receive_message(core, who, place(thread), ref, text, now)
