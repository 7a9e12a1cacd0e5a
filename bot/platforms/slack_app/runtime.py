"""``SlackRuntime``: the Slack adapter started on the process's shared event loop.

Socket Mode when ``SLACK_APP_TOKEN`` is set (single workspace, ``SLACK_BOT_TOKEN``); otherwise
HTTP mode: an aiohttp server on 0.0.0.0:``PORT`` serving ``POST /slack/events`` (behind the
guard in ``http``), ``GET /slack/install``, ``GET /slack/oauth_redirect`` and ``GET /healthz``.
Both report their connection state to the process's ``Health``; a Socket Mode app token Slack
refuses fails it for good (``ConnectionFailed`` at start, ``Health.failed`` later).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from aiohttp import ClientSession, web
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.services import places
from bot.core.services.context import Core
from bot.core.services.requests import EventClaims
from bot.platforms.health import ConnectionFailed, Health
from bot.platforms.runtime import PlatformRuntime
from bot.platforms.slack_app import app as bolt
from bot.platforms.slack_app.clients import (
    TIMEOUT_SECONDS,
    ClientSource,
    Installations,
    SingleWorkspace,
    open_session,
    web_client,
)
from bot.platforms.slack_app.http import Guard, health_endpoint
from bot.platforms.slack_app.members import MemberDirectory, parse_admins
from bot.platforms.slack_app.pacing import ChannelPacer, WorkspacePacer
from bot.platforms.slack_app.platform import SlackPlatform, TeamOf
from bot.platforms.slack_app.refs import PLATFORM
from bot.platforms.slack_app.services import SlackServices
from bot.platforms.slack_app.socket import WatchedHandler
from config.settings import SlackSettings

log = logging.getLogger(__name__)
SHUTDOWN_SECONDS = 5.0
PING_SECONDS = 10.0


class SlackSetupError(Exception):
    """Slack settings that cannot work; the message names the variables to set."""


@dataclass(frozen=True)
class Mode:
    socket: bool
    oauth: bool


def choose_mode(settings: SlackSettings) -> Mode:
    """Socket Mode needs the app and bot tokens; HTTP needs the signing secret and either the bot
    token (one workspace) or the OAuth client id and secret (any number of workspaces)."""
    if not settings.api_url.endswith("/"):
        raise SlackSetupError("DRILLBOT_SLACK_API_URL must end with '/'")
    if settings.app_token is not None:
        if settings.bot_token is None:
            raise SlackSetupError("Socket Mode (SLACK_APP_TOKEN) also needs SLACK_BOT_TOKEN")
        return Mode(socket=True, oauth=False)
    if settings.signing_secret is None:
        raise SlackSetupError("HTTP mode needs SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN)")
    if settings.client_id is not None:
        if settings.client_secret is None:
            raise SlackSetupError("SLACK_CLIENT_ID is set but SLACK_CLIENT_SECRET is not")
        return Mode(socket=False, oauth=True)
    if settings.bot_token is None:
        raise SlackSetupError("set SLACK_BOT_TOKEN, or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET")
    return Mode(socket=False, oauth=False)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class SlackRuntime:
    def __init__(
        self,
        core: Core,
        settings: SlackSettings,
        engine: AsyncEngine,
        *,
        clock: Callable[[], datetime] = _utc_now,
        pace_seconds: float = 1.0,
        host: str = "0.0.0.0",
        health: Health | None = None,
        timeout: int = TIMEOUT_SECONDS,
        ping_seconds: float = PING_SECONDS,
    ) -> None:
        self.mode = choose_mode(settings)
        self.settings = settings
        self.host = host
        self.health = health or Health()
        self.timeout, self.ping_seconds = timeout, ping_seconds
        self.port: int | None = None  # the bound port once HTTP mode has started
        self._fatal: str | None = None
        # One pace per workspace and method for every client of the process (Bolt's too).
        self.pacer = WorkspacePacer({"chat.postMessage": settings.post_rate})
        store = bolt.installation_store(settings, engine) if self.mode.oauth else None
        clients, team_of = self._clients(store)
        self.clients = clients
        self._session: ClientSession | None = None
        directory = MemberDirectory(parse_admins(settings.admins))
        platform = SlackPlatform(clients, ChannelPacer(pace_seconds), team_of, directory)
        self.services = SlackServices(core, platform, directory, EventClaims(core), clock)
        oauth = bolt.oauth_settings(settings, engine, store) if store is not None else None
        self.app = bolt.build_app(settings, self.services, oauth, self.pacer)
        self._runner: web.AppRunner | None = None
        self._socket: WatchedHandler | None = None

    def _clients(self, store: AsyncInstallationStore | None) -> tuple[ClientSource, TeamOf | None]:
        """One bot token, or the installed token of each channel's workspace."""
        if store is None:
            token = bolt.secret(self.settings.bot_token)
            client = web_client(self.settings.api_url, token, self.timeout, pacer=self.pacer)
            return SingleWorkspace(client), None
        installed = Installations(store, self.settings.api_url, self.timeout, self.pacer)
        return installed, self._team_of

    @property
    def platform(self) -> SlackPlatform:
        return self.services.platform

    async def _team_of(self, channel_ref: str) -> str | None:
        return await places.channel_space(self.services.core, PLATFORM, channel_ref)

    async def start(self) -> None:
        self._share(open_session(self.timeout))
        if self.mode.socket:
            await self._start_socket_mode()
        else:
            await self._start_http()

    async def _start_socket_mode(self) -> None:
        # Built here, inside the running loop, as the Socket Mode client requires.
        token = bolt.secret(self.settings.app_token) or ""
        handler = WatchedHandler(self.app, token, self._failed, self.ping_seconds)
        try:
            await handler.connect_async()  # type: ignore[no-untyped-call]
        except BaseException:
            await handler.close_async()  # type: ignore[no-untyped-call]
            raise
        self._socket = handler
        if self._fatal is not None:
            raise ConnectionFailed(f"Slack: {self._fatal}")
        self.health.connected(PLATFORM, handler.state)
        log.info("Slack: connected in Socket Mode")

    def _failed(self, reason: str) -> None:
        """The Socket Mode connection cannot come back: ``drillbot run`` stops and says why."""
        self._fatal = reason
        self.health.fail(PLATFORM, reason)

    def _web_app(self) -> web.Application:
        """Bolt's aiohttp app behind the guard, with ``/healthz`` (and, for one workspace, OAuth
        pages that say installing is off)."""
        web_app = self.app.web_app(path=bolt.EVENTS_PATH)
        secret = bolt.secret(self.settings.signing_secret) or ""
        guard = Guard(bolt.EVENTS_PATH, secret, dispatch=self.app.async_dispatch)
        web_app.middlewares.append(guard.middleware)
        web_app.router.add_get("/healthz", health_endpoint(self.health))
        if not self.mode.oauth:
            web_app.router.add_get(bolt.INSTALL_PATH, _single_workspace)
            web_app.router.add_get(bolt.REDIRECT_PATH, _single_workspace)
        return web_app

    async def _start_http(self) -> None:
        runner = web.AppRunner(self._web_app(), access_log=None, shutdown_timeout=SHUTDOWN_SECONDS)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.settings.port).start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self.port = int(runner.addresses[0][1])
        self.health.connected(PLATFORM)
        log.info("Slack: HTTP mode on %s:%d%s", self.host, self.port, bolt.EVENTS_PATH)

    async def stop(self) -> None:
        """Stop taking requests, then let running listeners finish (cancelled after a while)."""
        socket, runner = self._socket, self._runner
        self._socket = self._runner = None
        if socket is not None:
            await socket.close_async()  # type: ignore[no-untyped-call]
        if runner is not None:
            await runner.cleanup()
        await self.services.idle(SHUTDOWN_SECONDS)
        session, self._session = self._session, None
        self._share(None)
        if session is not None:
            await session.close()

    def _share(self, session: ClientSession | None) -> None:
        """Every Web API client of this runtime (Bolt's, and so its per-request copies, and the
        platform's) and every ``response_url`` reply sends through ``session``; None goes back to
        a session per call."""
        self._session = session
        self.app.client.session = session
        self.clients.share(session)
        self.services.session = session


async def _single_workspace(request: web.Request) -> web.Response:
    text = "This Drillbot runs in one workspace (SLACK_BOT_TOKEN); installing via OAuth is off."
    return web.Response(status=404, text=text)


if TYPE_CHECKING:  # mypy checks that the runtime and its port keep their contracts
    from bot.core.ports import Platform

    _runtime: type[PlatformRuntime] = SlackRuntime
    _port: type[Platform] = SlackPlatform
