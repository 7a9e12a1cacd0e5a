"""What every handler shares, and the event table installed on each discord.py client.

Handlers run as discord.py's event tasks; ``EventTasks`` tracks them so ``stop`` can let running
handlers finish (and cancel what outlives a grace period) instead of leaking them.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import discord

from bot.core.services.context import Core
from bot.platforms.discord_app.platform import DiscordPlatform
from bot.platforms.tasks import drain

log = logging.getLogger(__name__)
Handler = Callable[..., Awaitable[None]]


@dataclass(frozen=True)
class DiscordServices:
    core: Core
    platform: DiscordPlatform
    clock: Callable[[], datetime]
    defer_after: float  # seconds before an interaction is deferred (Discord allows 3)
    modal_timeout: float


class EventTasks:
    def __init__(self) -> None:
        self.tasks: set[asyncio.Task[Any]] = set()

    def install(self, client: discord.Client, table: Mapping[str, Handler]) -> None:
        """``table`` maps discord.py event names (``on_message``...) to handlers."""
        for event, handler in table.items():
            setattr(client, event, self._tracked(handler))

    @staticmethod
    def uninstall(client: discord.Client, table: Mapping[str, Handler]) -> None:
        """Before ``close``: discord.py may still dispatch a frame read while closing, and after
        ``close`` it can no longer schedule the handler (its coroutine would never run)."""
        for event in table:
            client.__dict__.pop(event, None)

    def _tracked(self, handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def run(*args: Any) -> None:
            task = asyncio.current_task()
            if task is not None:
                self.tasks.add(task)
            try:
                await handler(*args)
            finally:
                if task is not None:
                    self.tasks.discard(task)

        return run

    async def idle(self, grace: float) -> None:
        """Wait for running handlers; cancel those still running after ``grace`` seconds."""
        await drain(self.tasks, grace, "Discord handler(s)")
