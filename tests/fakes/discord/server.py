"""``FakeDiscord``: a local, protocol-level stand-in for Discord's REST API and gateway.

async with FakeDiscord() as fake:
    guild = fake.add_guild(name="Drills")
    chan = fake.add_text_channel(guild, name="daily")
    alice = fake.add_member(guild, "alice")
    with point_discord_py_at(fake):
        ...  # run a real discord.Client with token=fake.token
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from aiohttp import web

from .actions import MemberActions
from .gateway import Gateway, GatewayEvent
from .interactions import FakeInteraction
from .models import FakeChannel, FakeCommand, FakeGuild, FakeUser
from .patching import point_discord_py_at
from .rest import RestServer
from .rest_base import RestContext, Settings
from .sharding import Identified
from .state import (
    GATEWAY_GUILD_MEMBERS,
    GATEWAY_GUILD_MEMBERS_LIMITED,
    GATEWAY_MESSAGE_CONTENT,
    GATEWAY_MESSAGE_CONTENT_LIMITED,
    GATEWAY_PRESENCE,
    GATEWAY_PRESENCE_LIMITED,
    FakeState,
)
from .wire import LOST, Fault, RecordedRequest
from .world import WorldBuilding

__all__ = ["FakeDiscord", "point_discord_py_at"]


class FakeDiscord(MemberActions, WorldBuilding):
    """Serves /api/v10 and /gateway on 127.0.0.1 (random port) from in-memory state."""

    def __init__(
        self,
        *,
        token: str = "fake-bot-token",
        bot_name: str = "drillbot",
        heartbeat_interval_ms: int = 1000,
        shard_count: int = 1,
        max_concurrency: int = 1,
    ) -> None:
        """``shard_count`` and ``max_concurrency``: what GET /gateway/bot answers (sessions get
        their shards' guilds by Discord's rule whatever count they IDENTIFY with)."""
        self.state = FakeState(bot=FakeUser(0, bot_name, bot=True))
        self.settings = Settings(token=token)
        self.gateway = Gateway(self.state, token, heartbeat_interval_ms)
        self.gateway.shard_count, self.gateway.max_concurrency = shard_count, max_concurrency
        self._ctx = RestContext(self.state, self.gateway, self.settings)
        self._rest = RestServer(self._ctx)
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- lifecycle --------------------------------------------------------------------

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    async def start(self) -> None:
        self._runner = web.AppRunner(self._rest.build_app(), access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self.gateway.url = self.gateway_url

    async def stop(self) -> None:
        if self._runner is None:
            return
        await self.gateway.close_all(1001, forget_sessions=True)
        await self._runner.cleanup()
        self._runner = None

    # --- addresses and counters -------------------------------------------------------

    @property
    def token(self) -> str:
        return self.settings.token

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    @property
    def application_id(self) -> int:
        return self.state.application_id

    @property
    def bot_user(self) -> FakeUser:
        return self.state.bot

    @property
    def requests(self) -> list[RecordedRequest]:
        return self._ctx.requests

    @property
    def violations(self) -> list[str]:
        return self._ctx.violations

    @property
    def interactions(self) -> list[FakeInteraction]:
        return list(self._ctx.interactions.values())

    @property
    def events(self) -> list[GatewayEvent]:
        """Every dispatch the fake emitted (READY/GUILD_CREATE are per session, not here)."""
        return self.gateway.events

    @property
    def identify_count(self) -> int:
        return self.gateway.identify_count

    @property
    def identifies(self) -> list[Identified]:
        """Every IDENTIFY accepted: the shard it asked for and when (``time.monotonic``)."""
        return self.gateway.identifies

    @property
    def resume_count(self) -> int:
        return self.gateway.resume_count

    @property
    def rate_limited_count(self) -> int:
        return self._rest.rate_limited_count

    @property
    def global_limited_count(self) -> int:
        """429s for the global limit (also counted in ``rate_limited_count``)."""
        return self._rest.global_limited_count

    @property
    def server_errors(self) -> list[str]:
        """Tracebacks of bugs in the fake itself (answered with HTTP 400)."""
        return self._rest.server_errors

    # --- behaviour knobs --------------------------------------------------------------

    @property
    def application_flags(self) -> int:
        return self.state.application_flags

    @application_flags.setter
    def application_flags(self, value: int) -> None:
        self.state.application_flags = value

    @property
    def message_content_granted(self) -> bool:
        return self.state.intent_granted(GATEWAY_MESSAGE_CONTENT, GATEWAY_MESSAGE_CONTENT_LIMITED)

    @message_content_granted.setter
    def message_content_granted(self, value: bool) -> None:
        self.state.grant_intent(GATEWAY_MESSAGE_CONTENT, GATEWAY_MESSAGE_CONTENT_LIMITED, value)

    @property
    def members_granted(self) -> bool:
        return self.state.intent_granted(GATEWAY_GUILD_MEMBERS, GATEWAY_GUILD_MEMBERS_LIMITED)

    @members_granted.setter
    def members_granted(self, value: bool) -> None:
        self.state.grant_intent(GATEWAY_GUILD_MEMBERS, GATEWAY_GUILD_MEMBERS_LIMITED, value)

    @property
    def presences_granted(self) -> bool:
        return self.state.intent_granted(GATEWAY_PRESENCE, GATEWAY_PRESENCE_LIMITED)

    @presences_granted.setter
    def presences_granted(self, value: bool) -> None:
        self.state.grant_intent(GATEWAY_PRESENCE, GATEWAY_PRESENCE_LIMITED, value)

    @property
    def reject_invalid(self) -> bool:
        """True (default): invalid bodies get Discord's 400 besides a recorded violation."""
        return self.settings.reject_invalid

    @reject_invalid.setter
    def reject_invalid(self, value: bool) -> None:
        self.settings.reject_invalid = value

    @property
    def interaction_deadline(self) -> float:
        """Seconds an interaction accepts its initial callback (Discord: 3)."""
        return self.settings.interaction_deadline

    @interaction_deadline.setter
    def interaction_deadline(self, value: float) -> None:
        self.settings.interaction_deadline = value

    # --- inspection -------------------------------------------------------------------

    def requests_to(self, method: str, route: str) -> list[RecordedRequest]:
        """Requests matching a template (``/channels/{id}/messages``) or a concrete path."""
        return [r for r in self._ctx.requests if r.matches(method, route)]

    def messages_in(self, channel: FakeChannel) -> list[dict[str, Any]]:
        return [m for m in self.state.messages.values() if m["channel_id"] == str(channel.id)]

    def commands(self, guild: FakeGuild | None = None) -> list[FakeCommand]:
        scope = None if guild is None else guild.id
        return [c for c in self.state.commands.values() if c.guild_id == scope]

    async def wait_for_request(
        self, method: str, route: str, *, count: int = 1, timeout: float = 2.0
    ) -> RecordedRequest:
        """The ``count``-th request matching ``route`` once it has been answered."""

        def answered() -> list[RecordedRequest]:
            return [r for r in self.requests_to(method, route) if r.status is not None]

        seen = self._rest.request_seen
        async with asyncio.timeout(timeout):
            while len(answered()) < count:
                seen.clear()
                await seen.wait()
        return answered()[count - 1]

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 2.0) -> None:
        """Poll ``predicate`` every 10 ms until true (TimeoutError after ``timeout``)."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise TimeoutError(f"condition not met within {timeout}s")
            await asyncio.sleep(0.01)

    # --- faults and gateway control ---------------------------------------------------

    def fail_next(
        self,
        method: str,
        route: str,
        *,
        status: int = 429,
        retry_after: float = 0.2,
        count: int = 1,
        code: int | None = None,
        message: str | None = None,
        is_global: bool = False,
    ) -> None:
        """Answer the next ``count`` matching requests with ``status`` (429, 403, 500...)."""
        self._rest.faults.add(
            Fault(method.upper(), route, status, count, retry_after, is_global, code, message)
        )

    def lose_next_response(self, method: str, route: str, *, count: int = 1) -> None:
        """Carry out the next ``count`` matching requests, then drop the connection unanswered
        (the client cannot tell whether its request was carried out)."""
        self._rest.faults.add(Fault(method.upper(), route, LOST, count, 0.0, False, None, None))

    def rate_limit(self, per_second: int | None, *, window: float = 1.0) -> None:
        """Enforce ``per_second`` requests per route bucket (per ``window`` seconds) with real
        429s and X-RateLimit-* headers (None: off)."""
        self._rest.limiter.per_second = per_second
        self._rest.limiter.route_window = window

    def global_rate_limit(self, per_second: int | None) -> None:
        """Enforce Discord's global limit: ``per_second`` requests of any route in any second
        (interaction routes exempt), else 429 with ``X-RateLimit-Global`` (None: off)."""
        self._rest.limiter.global_per_second = per_second

    async def dispatch(self, event: str, data: Any, *, intent: int | None = None) -> None:
        """Send an arbitrary dispatch event to every session."""
        self.gateway.emit(event, data, intent=intent)
        await self.gateway.drain()

    async def send_raw_frame(self, text: str) -> None:
        """A text frame exactly as given (e.g. not JSON) to every client."""
        self.gateway.send_raw(text)
        await self.gateway.drain()

    async def drain(self) -> None:
        await self.gateway.drain()

    async def disconnect_clients(self, code: int = 4000) -> None:
        """Close every gateway socket with ``code``; 4000 keeps sessions resumable, while 4004 and
        4010-4014 are fatal to a client (discord.py does not reconnect after them)."""
        await self.gateway.close_all(code)

    async def request_reconnect(self) -> None:
        """Send op 7 RECONNECT: clients close and RESUME."""
        self.gateway.send_op(7, None)
        await self.gateway.drain()

    async def invalidate_sessions(self) -> None:
        """Send op 9 INVALID_SESSION (not resumable): clients IDENTIFY again."""
        self.gateway.sessions.clear()
        self.gateway.send_op(9, False)
        await self.gateway.drain()
