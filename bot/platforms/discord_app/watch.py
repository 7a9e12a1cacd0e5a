"""A watched gateway connection: frames that cannot be read are skipped, fatal closes are named.

discord.py reconnects (and resumes) by itself after any close it can recover from. Two things it
does not do: a dispatch whose payload its parsers cannot read (``d`` empty or null, a text frame
that is not JSON) ends ``Client.connect`` with that exception, and a fatal close (a bad token,
intents or shard settings) ends it with ``ConnectionClosed``. ``guard_frames`` makes the first a
logged, skipped frame; ``GatewayLost.of`` turns the second into one message naming the fix.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import discord
from discord.gateway import DiscordWebSocket

from bot.core.services.connections import (
    CONNECTED,
    FAILED,
    RECONNECTING,
    STOPPED,
    record_connection,
)
from bot.platforms.discord_app.events import DiscordServices, Handler
from bot.platforms.discord_app.refs import PLATFORM
from bot.platforms.runtime import ConnectionLost

log = logging.getLogger(__name__)
# What a parser raises on a payload of the wrong shape (discord.py's own signals pass through).
UNREADABLE = (ValueError, LookupError, TypeError, AttributeError)
PORTAL = "the Discord Developer Portal (https://discord.com/developers/applications)"
FATAL_CLOSES: dict[int, tuple[str, str]] = {
    4004: (
        "authentication failed",
        f"DISCORD_TOKEN is wrong or was reset: copy the bot token from {PORTAL} "
        "(Bot -> Reset Token), set DISCORD_TOKEN and restart Drillbot",
    ),
    4010: (
        "invalid shard",
        "check DRILLBOT_DISCORD_SHARD_IDS and DRILLBOT_DISCORD_SHARD_COUNT (or remove them) "
        "and restart Drillbot",
    ),
    4011: (
        "sharding required",
        "the bot is in too many servers for one connection: set DRILLBOT_DISCORD_SHARDED=true "
        "(or split the shards over processes with DRILLBOT_DISCORD_SHARD_IDS and "
        "DRILLBOT_DISCORD_SHARD_COUNT)",
    ),
    4012: ("invalid API version", "upgrade Drillbot and discord.py, then restart"),
    4013: ("invalid intents", "upgrade Drillbot (it asked for intents Discord does not know)"),
    4014: (
        "disallowed intents",
        f"enable the Message Content intent in {PORTAL} (Bot -> Privileged Gateway Intents), "
        "or just restart Drillbot to run without it (members then answer with the Answer button)",
    ),
}
Receive = Callable[[DiscordWebSocket, Any], Awaitable[None]]


class GatewayLost(ConnectionLost):
    """The gateway connection ended for good; the message names the cause and the fix."""

    @classmethod
    def of(cls, error: BaseException | None) -> GatewayLost:
        if isinstance(error, discord.PrivilegedIntentsRequired):
            return cls(_closed(4014))
        if isinstance(error, discord.ConnectionClosed) and error.code in FATAL_CLOSES:
            return cls(_closed(error.code))
        if error is None:
            return cls("the Discord connection ended unexpectedly; restarting Drillbot reconnects")
        return cls(
            f"the Discord connection failed ({type(error).__name__}: {error}); "
            "restarting Drillbot reconnects"
        )


def _closed(code: int) -> str:
    cause, fix = FATAL_CLOSES[code]
    return f"Discord closed the connection with {code} ({cause}): {fix}."


def guard_frames() -> None:
    """Skip (and log, without the payload) gateway frames that cannot be read; idempotent."""
    receive: Receive = DiscordWebSocket.received_message
    if getattr(receive, "drillbot_guarded", False):
        return

    @functools.wraps(receive)
    async def guarded(self: DiscordWebSocket, msg: Any, /) -> None:
        try:
            await receive(self, msg)
        except UNREADABLE as error:
            log.warning(
                "Discord: skipped a gateway frame that could not be read (%s)",
                type(error).__name__,
            )

    guarded.drillbot_guarded = True  # type: ignore[attr-defined]
    DiscordWebSocket.received_message = guarded  # type: ignore[method-assign]


class ConnectionEvents:
    """Connection state changes into ``drillbot status`` (best effort: never stops an event)."""

    def __init__(self, services: DiscordServices) -> None:
        self.services = services
        self.final = False  # failed or stopped: a late "reconnecting" must not overwrite it
        self._in_order = asyncio.Lock()

    def table(self) -> dict[str, Handler]:
        return {
            "on_ready": self.on_ready,
            "on_resumed": self.on_resumed,
            "on_disconnect": self.on_disconnect,
        }

    async def on_ready(self) -> None:
        # Posting is driven by the core's outbox only, so a reconnect never posts anything.
        client = self.services.platform.client
        if client is not None:
            log.info("Discord: ready as %s in %d guild(s)", client.user, len(client.guilds))
        await self.record(CONNECTED)

    async def on_resumed(self) -> None:
        await self.record(CONNECTED)

    async def on_disconnect(self) -> None:
        await self.record(RECONNECTING)

    async def record(self, state: str, detail: str | None = None) -> None:
        """One state after another, in the order they happened; nothing after the last."""
        async with self._in_order:
            if self.final:
                return
            self.final = state in (FAILED, STOPPED)
            try:
                await record_connection(
                    self.services.core, PLATFORM, state, detail, self.services.clock()
                )
            except Exception as error:
                log.warning("could not record the Discord connection state: %s", error)
