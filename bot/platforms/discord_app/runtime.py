"""``DiscordRuntime``: one discord.py client on the process's shared event loop, serving every
guild it is in (each guild's channels have their own settings in the core), or, sharded over
several processes, the guilds of this process's shards.

``start`` logs in, checks the Message Content intent, syncs the slash commands (to the
development guild when ``DRILLBOT_DISCORD_GUILD_ID`` is set, else globally), registers the
dynamic buttons and connects; it returns once the client is ready. Nothing is ever posted on
(re)connect: posts come only from the core's outbox, through ``platform.deliver``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.core.services.connections import FAILED, STOPPED
from bot.core.services.context import Core
from bot.core.services.identify_turns import turns_are_shared
from bot.platforms.discord_app import commands
from bot.platforms.discord_app.buttons import ComponentEvents
from bot.platforms.discord_app.components import DYNAMIC_ITEMS
from bot.platforms.discord_app.events import DiscordServices, EventTasks, Handler
from bot.platforms.discord_app.identify_gate import GatedShardedClient, IdentifyGate
from bot.platforms.discord_app.inbound import MessageEvents
from bot.platforms.discord_app.intents import CONTENT_MISSING, content_granted, intents
from bot.platforms.discord_app.pacing import GlobalPacer
from bot.platforms.discord_app.platform import DiscordPlatform
from bot.platforms.discord_app.watch import ConnectionEvents, GatewayLost, guard_frames
from config.settings import DiscordSettings

log = logging.getLogger(__name__)
SHUTDOWN_SECONDS = 5.0
READY_SECONDS = 120.0


class DiscordSetupError(Exception):
    """Discord settings that cannot work; the message names the variable to set."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


class DiscordRuntime:
    def __init__(
        self,
        core: Core,
        settings: DiscordSettings,
        *,
        client_class: type[discord.Client] = discord.Client,
        clock: Callable[[], datetime] = _utc_now,
        client_options: Mapping[str, Any] | None = None,
        defer_after: float = 1.5,
        ready_timeout: float = READY_SECONDS,
        modal_timeout: float = 900.0,
    ) -> None:
        """``client_class``: ``discord.Client``, or ``discord.AutoShardedClient`` for many guilds
        (``client_options`` then may carry ``shard_count`` and ``shard_ids``)."""
        if settings.token is None:
            raise DiscordSetupError(
                "set DISCORD_TOKEN to the bot token of your Discord application"
            )
        self.settings = settings
        self.client_class = client_class
        self.client: discord.Client | None = None
        pacer = GlobalPacer(settings.global_rate)
        self._options = {"http_trace": pacer.trace(), **(client_options or {})}
        self._ready_timeout = ready_timeout
        platform = DiscordPlatform(clock, pacer)
        self._services = DiscordServices(core, platform, clock, defer_after, modal_timeout)
        self._messages = MessageEvents(self._services)
        self._components = ComponentEvents(self._services)
        self._slash = commands.SlashCommands(self._services)
        self._connections = ConnectionEvents(self._services)
        self._events = EventTasks()
        self._connection: asyncio.Task[None] | None = None
        self._stopping = self._failed = False
        self._saved_urls: tuple[str, yarl.URL] | None = None

    @property
    def platform(self) -> DiscordPlatform:
        return self._services.platform

    async def start(self) -> None:
        if self.client is not None:
            raise RuntimeError("the Discord runtime is already started")
        self._stopping = self._failed = self._connections.final = False
        self._point_discord_py_at_settings()
        guard_frames()
        try:
            await self._open()
        except BaseException:
            await self.stop()
            raise

    async def _open(self) -> None:
        client, tree = await self._login(message_content=True)
        if not content_granted(client):
            log.warning(CONTENT_MISSING)
            await self._close(client)
            client, tree = await self._login(message_content=False)
        await commands.sync(tree, self.settings.guild_id)
        try:
            await self._connect(client)
        except discord.PrivilegedIntentsRequired:
            log.warning("%s (the gateway refused it with close code 4014)", CONTENT_MISSING)
            await self._close(client)
            client, _ = await self._login(message_content=False)
            await self._connect(client)

    async def _login(self, message_content: bool) -> tuple[discord.Client, commands.Tree]:
        client = self.client_class(
            intents=intents(message_content),
            allowed_mentions=discord.AllowedMentions.none(),
            max_messages=None,  # answers come from raw events; no message cache needed
            **self._options,
        )
        tree = commands.build_tree(client, self._slash.run, self._services.core.bank.kinds())
        self._events.install(client, self._table())
        client.add_dynamic_items(*DYNAMIC_ITEMS)
        self.client = client
        assert self.settings.token is not None
        await client.login(self.settings.token.get_secret_value())
        self.platform.reads_content = message_content
        return client, tree

    def _table(self) -> dict[str, Handler]:
        return {
            **self._messages.table(),
            **self._components.table(),
            **self._connections.table(),
        }

    async def _connect(self, client: discord.Client) -> None:
        """Connect in a task; return once ready, or raise what ended the connection first."""
        self.platform.client = client  # REST works from login on; the cache fills once ready
        connection = asyncio.create_task(client.connect(reconnect=True), name="drillbot-discord")
        self._connection = connection
        ready = asyncio.create_task(client.wait_until_ready(), name="drillbot-discord-ready")
        try:
            done, _ = await asyncio.wait(
                {connection, ready},
                timeout=self._ready_timeout,
                return_when=asyncio.FIRST_COMPLETED,
            )
        finally:
            ready.cancel()
            await asyncio.gather(ready, return_exceptions=True)
        if connection in done:
            self._connection = None
            error = connection.exception()
            if isinstance(error, discord.PrivilegedIntentsRequired):
                raise error  # the caller connects again without the Message Content intent
            raise await self._lost(error) from error
        if ready not in done:
            raise TimeoutError(f"Discord was not ready within {self._ready_timeout:.0f}s")

    async def watch(self) -> None:
        """Return once stopped; raise ``ConnectionLost`` (cause and fix) if the gateway connection
        ends for good (a fatal close), so the process exits and its manager restarts it."""
        connection = self._connection
        if connection is None:
            raise GatewayLost("Discord is not connected")
        try:
            await asyncio.shield(connection)
            error: BaseException | None = None
        except Exception as raised:
            error = raised
        if self._stopping:
            return
        raise await self._lost(error)

    async def _lost(self, error: BaseException | None) -> GatewayLost:
        """What ended the connection, recorded for ``drillbot status``."""
        lost = GatewayLost.of(error)
        self._failed = True
        await self._connections.record(FAILED, str(lost))
        return lost

    async def stop(self) -> None:
        """Disconnect, let running handlers finish, stop open modals; safe to call twice."""
        self._stopping = True
        client, connection = self.client, self._connection
        self.client = self._connection = self.platform.client = None
        if client is not None:
            await self._close(client)
        if connection is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(connection, SHUTDOWN_SECONDS)
        await self._events.idle(SHUTDOWN_SECONDS)
        if client is not None and not self._failed:
            await self._connections.record(STOPPED)
        self._components.close_modals()
        await asyncio.sleep(0)  # let the cancelled modal timeouts finish
        self._restore_urls()

    async def _close(self, client: discord.Client) -> None:
        self._events.uninstall(client, self._table())
        await client.close()

    def _point_discord_py_at_settings(self) -> None:
        """discord.py reads both class attributes at call time."""
        self._saved_urls = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
        Route.BASE = self.settings.api_url.rstrip("/")
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.settings.gateway_url)

    def _restore_urls(self) -> None:
        if self._saved_urls is not None:
            Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = self._saved_urls
            self._saved_urls = None


def runtime_from_settings(core: Core, settings: DiscordSettings) -> DiscordRuntime:
    """The runtime ``bot.service`` starts: sharded when the settings ask for it (with a shard
    count, and this process's shard ids when several processes share them), taking IDENTIFY
    turns through the database when it is PostgreSQL (on SQLite discord.py paces itself)."""
    if not settings.sharded and settings.shard_count is None:
        return DiscordRuntime(core, settings)
    options: dict[str, Any] = settings.shard_options
    client: type[discord.Client] = discord.AutoShardedClient
    if turns_are_shared(core):
        client = GatedShardedClient
        options["identify_gate"] = IdentifyGate(core, settings.identify_seconds)
    return DiscordRuntime(
        core,
        settings,
        client_class=client,
        client_options=options,
        ready_timeout=ready_timeout(settings),
    )


def ready_timeout(settings: DiscordSettings) -> float:
    """Long enough for every shard to take its IDENTIFY turn, however many processes queue."""
    return READY_SECONDS + settings.identify_seconds * (settings.shard_count or 1)
