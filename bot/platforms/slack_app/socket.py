"""Socket Mode, watched: slack_sdk's client reconnects by itself after transient failures (a
dropped socket, a refresh Slack asks for, a network fault); when Slack refuses the app token it
would retry for ever, alive and deaf, so here it stops instead and reports why and what to do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.aiohttp import SocketModeClient

from bot.platforms.health import State
from bot.platforms.slack_app.failures import error_code

# apps.connections.open answers these when no retry can help: only a person can fix the token.
FATAL = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "not_allowed_token_type",
        "missing_scope",
    }
)
FIX = (
    "create an app-level token with the connections:write scope (api.slack.com/apps, Basic "
    "Information, App-Level Tokens), set it as SLACK_APP_TOKEN and restart Drillbot"
)
LIBRARY_LOG = "slack_sdk.socket_mode"  # held at INFO by bot.logs: its DEBUG lines carry payloads


def fatal_message(code: str) -> str:
    return f"Slack refused the Socket Mode app token ({code}): {FIX}."


class WatchedClient(SocketModeClient):
    """The library's client, except that a refused app token stops it for good (quietly: the
    runtime logs the one error) instead of retrying every few seconds."""

    def __init__(self, *, on_fatal: Callable[[str], None], **options: Any) -> None:
        super().__init__(**options)
        self.on_fatal = on_fatal

    async def issue_new_wss_url(self) -> str:
        if self.closed:  # failed for good (or closing): another loop of the library asks again
            return ""
        try:
            response = await self.web_client.apps_connections_open(app_token=self.app_token)
        except SlackApiError as error:
            if error_code(error) not in FATAL:
                return str(await super().issue_new_wss_url())  # rate limits: the library's way
            self.closed = True  # ends the library's connect and monitor loops without a retry
            self.on_fatal(fatal_message(error_code(error)))
            return ""
        return str(response["url"])


class WatchedHandler(AsyncSocketModeHandler):
    """Bolt's Socket Mode handler on a ``WatchedClient``."""

    def __init__(
        self, app: AsyncApp, app_token: str, on_fatal: Callable[[str], None], ping_interval: float
    ) -> None:
        self.app = app
        self.app_token = app_token
        self.client = WatchedClient(
            app_token=app_token,
            logger=logging.getLogger(LIBRARY_LOG),
            web_client=app.client,
            ping_interval=ping_interval,
            on_fatal=on_fatal,
        )
        self.client.socket_mode_request_listeners.append(self.handle)  # type: ignore[arg-type]

    async def state(self) -> State:
        if self.client.closed:
            return State.FAILED
        connected = await self.client.is_connected()
        return State.CONNECTED if connected else State.RECONNECTING
