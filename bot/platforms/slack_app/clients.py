"""Web API clients: every one retries rate limits and connections that could not be made.

A single-workspace bot has one client (``SLACK_BOT_TOKEN``); an OAuth-installed bot finds the
token of the channel's workspace in slack_sdk's installation store.
"""

from __future__ import annotations

from typing import Any, Protocol

from aiohttp import ClientConnectorError, ClientSession, ClientTimeout
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import AsyncConnectionErrorRetryHandler
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.platforms.slack_app.failures import not_installed
from bot.platforms.slack_app.pacing import WorkspacePacer, WorkspaceRetryAfter

TIMEOUT_SECONDS = 30


def retry_handlers(pacer: WorkspacePacer) -> list[AsyncRetryHandler]:
    """The SDK retries what cannot have been carried out: a connection never made, and 429
    (after Retry-After, which holds the whole workspace's calls of that method). A timeout, a
    dropped connection or a 5xx after a request was sent may have posted all the same: the core
    retries those itself, looking for the post first."""
    return [
        AsyncConnectionErrorRetryHandler(max_retry_count=2, error_types=[ClientConnectorError]),
        WorkspaceRetryAfter(pacer, max_retry_count=1),
    ]


class PacedWebClient(AsyncWebClient):
    """Every call first takes its turn in the workspace's pace (see ``WorkspacePacer``)."""

    pacer: WorkspacePacer

    async def api_call(self, api_method: str, **kwargs: Any) -> AsyncSlackResponse:
        await self.pacer.turn(self.token or "", api_method)
        return await super().api_call(api_method, **kwargs)


def web_client(
    api_url: str,
    token: str | None = None,
    timeout: int = TIMEOUT_SECONDS,
    session: ClientSession | None = None,
    pacer: WorkspacePacer | None = None,
) -> AsyncWebClient:
    """A client whose calls give up after ``timeout`` seconds (the outcome is then unknown).

    Without ``session`` the SDK opens a new HTTP session (and connection) for every call; without
    ``pacer`` the client's calls are paced on their own."""
    pacer = pacer or WorkspacePacer()
    client = PacedWebClient(
        token=token,
        base_url=api_url,
        timeout=timeout,
        retry_handlers=retry_handlers(pacer),
        session=session,
    )
    client.pacer = pacer
    return client


def open_session(timeout: int = TIMEOUT_SECONDS) -> ClientSession:
    """The process's one HTTP session for every Web API client: connections are kept and reused.
    Opened inside the running loop (``SlackRuntime.start``); the SDK takes its timeout from it."""
    return ClientSession(timeout=ClientTimeout(total=timeout))


class ClientSource(Protocol):
    """The client that may post in a workspace, and who installed it there (if known)."""

    async def for_team(self, team_id: str | None) -> AsyncWebClient: ...

    def share(self, session: ClientSession | None) -> None: ...

    async def installer(self, team_id: str | None) -> str | None: ...


class SingleWorkspace:
    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    def share(self, session: ClientSession | None) -> None:
        self.client.session = session

    async def for_team(self, team_id: str | None) -> AsyncWebClient:
        return self.client

    async def installer(self, team_id: str | None) -> str | None:
        return None  # installed by hand (SLACK_BOT_TOKEN): DRILLBOT_SLACK_ADMINS says who to tell


class Installations:
    """Tokens saved by Bolt's OAuth flow, one bot per workspace."""

    def __init__(
        self,
        store: AsyncInstallationStore,
        api_url: str,
        timeout: int = TIMEOUT_SECONDS,
        pacer: WorkspacePacer | None = None,
    ) -> None:
        self.store = store
        self.api_url = api_url
        self.timeout = timeout
        self.pacer = pacer or WorkspacePacer()  # one for every workspace: keyed by bot token
        self.session: ClientSession | None = None

    def share(self, session: ClientSession | None) -> None:
        self.session = session

    async def for_team(self, team_id: str | None) -> AsyncWebClient:
        bot = await self.store.async_find_bot(enterprise_id=None, team_id=team_id)
        if team_id is None or bot is None or not bot.bot_token:
            raise not_installed(team_id)
        return web_client(self.api_url, bot.bot_token, self.timeout, self.session, self.pacer)

    async def installer(self, team_id: str | None) -> str | None:
        """The user who installed Drillbot in the workspace (Bolt's installation record)."""
        found = await self.store.async_find_installation(enterprise_id=None, team_id=team_id)
        return str(found.user_id) if found is not None and found.user_id else None
