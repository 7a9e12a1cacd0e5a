"""Web API clients: every one retries rate limits, server errors and dropped connections.

A single-workspace bot has one client (``SLACK_BOT_TOKEN``); an OAuth-installed bot finds the
token of the channel's workspace in slack_sdk's installation store.
"""

from __future__ import annotations

from typing import Protocol

from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.ports import SendFailed

TIMEOUT_SECONDS = 30


def retry_handlers() -> list[AsyncRetryHandler]:
    """The SDK's default retries only connection errors; add 429 (honouring Retry-After) and 5xx."""
    return [
        AsyncConnectionErrorRetryHandler(max_retry_count=2),
        AsyncRateLimitErrorRetryHandler(max_retry_count=1),
        AsyncServerErrorRetryHandler(max_retry_count=2),
    ]


def web_client(api_url: str, token: str | None = None) -> AsyncWebClient:
    return AsyncWebClient(
        token=token, base_url=api_url, timeout=TIMEOUT_SECONDS, retry_handlers=retry_handlers()
    )


class ClientSource(Protocol):
    """The client that may post in a workspace."""

    async def for_team(self, team_id: str | None) -> AsyncWebClient: ...


class SingleWorkspace:
    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def for_team(self, team_id: str | None) -> AsyncWebClient:
        return self.client


class Installations:
    """Tokens saved by Bolt's OAuth flow, one bot per workspace."""

    def __init__(self, store: AsyncInstallationStore, api_url: str) -> None:
        self.store = store
        self.api_url = api_url

    async def for_team(self, team_id: str | None) -> AsyncWebClient:
        bot = await self.store.async_find_bot(enterprise_id=None, team_id=team_id)
        if team_id is None or bot is None or not bot.bot_token:
            raise SendFailed(
                f"Drillbot is not installed in Slack workspace {team_id or '?'}",
                permanent=True,
                admin_hint="Install it again from /slack/install.",
            )
        return web_client(self.api_url, bot.bot_token)
