"""Shards split over several processes take turns at IDENTIFY through the shared database.

Discord accepts one IDENTIFY per 5 s in each concurrency bucket (``shard_id % max_concurrency``,
``max_concurrency`` from GET /gateway/bot), counted over every connection of the bot. discord.py
awaits ``Client.before_identify_hook`` before every IDENTIFY (the first and each one after a
session is lost; a RESUME needs none) and by default only sleeps 5 s within one process.
``GatedShardedClient`` instead waits for its bucket's turn in PostgreSQL
(``bot.core.services.identify_turns``), so processes running different shards never IDENTIFY in
the same bucket closer together than the window (``DRILLBOT_DISCORD_IDENTIFY_SECONDS``).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

import discord

from bot.core.errors import StorageUnavailable
from bot.core.services.context import Core
from bot.core.services.identify_turns import take_identify_turn
from bot.platforms.discord_app.failures import TRANSPORT_ERRORS

log = logging.getLogger(__name__)
# Turns are a tenth longer than the window: an IDENTIFY reaches Discord a moment after its turn is
# recorded, and that moment varies (discord.js's sharding manager likewise waits 5.5 s per shard).
MARGIN = 0.1
UNREADABLE_LIMITS = (
    discord.DiscordException,
    *TRANSPORT_ERRORS,
    LookupError,
    TypeError,
    ValueError,
)


class IdentifyGate:
    """One per process: knows the bot's ``max_concurrency`` and takes turns in the database."""

    def __init__(self, core: Core, window_seconds: float) -> None:
        """``window_seconds``: Discord's one IDENTIFY per bucket per window (5 s)."""
        self.core = core
        self.spacing = timedelta(seconds=window_seconds * (1 + MARGIN))
        self._concurrency: int | None = None

    async def wait_turn(self, client: discord.Client, shard_id: int | None) -> None:
        """Return when ``shard_id`` may IDENTIFY; a database that cannot answer costs one plain
        pause instead (what discord.py does on its own)."""
        bucket = (shard_id or 0) % await self.max_concurrency(client)
        try:
            waited = await take_identify_turn(self.core, bucket, self.spacing)
        except StorageUnavailable as error:
            log.warning(
                "Discord: no IDENTIFY turn from the database (%s); pausing %.1fs instead",
                error,
                self.spacing.total_seconds(),
            )
            await asyncio.sleep(self.spacing.total_seconds())
            return
        log.info(
            "Discord: shard %s identifies (waited %.1fs for bucket %d)", shard_id, waited, bucket
        )

    async def max_concurrency(self, client: discord.Client) -> int:
        """``session_start_limit.max_concurrency``, asked once; 1 (the strictest) until known."""
        if self._concurrency is None:
            try:
                _, _, limit = await client.http.get_bot_gateway()
                self._concurrency = max(1, int(limit["max_concurrency"]))
            except UNREADABLE_LIMITS as error:
                log.warning("Discord: could not read max_concurrency (%s); assuming 1", error)
                return 1
        return self._concurrency


class GatedShardedClient(discord.AutoShardedClient):
    """An ``AutoShardedClient`` whose every IDENTIFY first waits for its turn at ``identify_gate``."""

    def __init__(self, *args: Any, identify_gate: IdentifyGate, **options: Any) -> None:
        super().__init__(*args, **options)
        self.identify_gate = identify_gate

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        await self.identify_gate.wait_turn(self, shard_id)
