"""Run a real discord.py client against a :class:`FakeDiscord` and clean up after it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any, TypeVar

import discord

from .server import FakeDiscord

ClientT = TypeVar("ClientT", bound=discord.Client)

# 2 s by default: discord.py waits this long after the last GUILD_CREATE before on_ready.
GUILD_READY_TIMEOUT = 0.1


def bot_intents() -> discord.Intents:
    """Default intents plus message content (what the bot asks for)."""
    intents = discord.Intents.default()
    intents.message_content = True
    return intents


def client_options(**overrides: Any) -> dict[str, Any]:
    """Keyword arguments for ``discord.Client(...)`` that keep tests fast."""
    return {"intents": bot_intents(), "guild_ready_timeout": GUILD_READY_TIMEOUT, **overrides}


@contextlib.asynccontextmanager
async def running_client(
    client: ClientT, fake: FakeDiscord, *, timeout: float = 5.0, instant_reidentify: bool = True
) -> AsyncIterator[ClientT]:
    """Log in, connect and wait for on_ready; on exit close the client and settle its tasks.

    Errors from ``connect`` before READY (e.g. ``PrivilegedIntentsRequired``) propagate.
    ``instant_reidentify`` drops discord.py's 5 s sleep before every non-initial IDENTIFY
    (``Client.before_identify_hook``), which protects real Discord's identify rate limit.
    """
    before = asyncio.all_tasks()
    if instant_reidentify:
        setattr(client, "before_identify_hook", _no_identify_delay)  # noqa: B010
    await client.login(fake.token)
    connect = asyncio.create_task(client.connect(reconnect=True), name="fake-discord-client")
    ready = asyncio.create_task(client.wait_until_ready())
    try:
        done, _ = await asyncio.wait(
            {connect, ready}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if connect in done:
            connect.result()
            raise RuntimeError("client.connect() returned before READY")
        if ready not in done:
            raise TimeoutError(f"client not ready within {timeout}s")
        yield client
    finally:
        ready.cancel()
        await client.close()
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await asyncio.wait_for(connect, timeout)
        await settle_tasks(before)


async def _no_identify_delay(shard_id: int | None, *, initial: bool = False) -> None:
    return None


async def settle_tasks(before: set[asyncio.Task[Any]], timeout: float = 0.25) -> None:
    """Let tasks started since ``before`` finish; cancel and reap the stragglers."""
    current = asyncio.current_task()
    pending = {t for t in asyncio.all_tasks() if t not in before and t is not current}
    if not pending:
        return
    _, stragglers = await asyncio.wait(pending, timeout=timeout)
    for task in stragglers:
        task.cancel()
    await asyncio.gather(*stragglers, return_exceptions=True)


def recording_client(
    inbox: Inbox, cls: type[discord.Client] = discord.Client, **options: Any
) -> discord.Client:
    """A client whose handlers put events into ``inbox``: ``message``, ``edit`` (raw),
    ``delete`` (raw), ``ready`` and ``resumed``."""
    client = cls(**client_options(**options))

    async def on_message(message: discord.Message) -> None:
        inbox.put("message", message)

    async def on_raw_message_edit(payload: discord.RawMessageUpdateEvent) -> None:
        inbox.put("edit", payload)

    async def on_raw_message_delete(payload: discord.RawMessageDeleteEvent) -> None:
        inbox.put("delete", payload)

    async def on_ready() -> None:
        inbox.put("ready")

    async def on_resumed() -> None:
        inbox.put("resumed")

    for handler in (on_message, on_raw_message_edit, on_raw_message_delete, on_ready, on_resumed):
        client.event(handler)
    return client


class Inbox:
    """Named queues that event handlers put into and tests await, e.g.
    ``inbox.put("message", msg)`` / ``await inbox.get("message")``."""

    def __init__(self) -> None:
        self._queues: dict[str, asyncio.Queue[Any]] = {}

    def _queue(self, name: str) -> asyncio.Queue[Any]:
        return self._queues.setdefault(name, asyncio.Queue())

    def put(self, name: str, value: Any = None) -> None:
        self._queue(name).put_nowait(value)

    async def get(self, name: str, timeout: float = 2.0) -> Any:
        return await asyncio.wait_for(self._queue(name).get(), timeout)

    def count(self, name: str) -> int:
        return self._queue(name).qsize()
