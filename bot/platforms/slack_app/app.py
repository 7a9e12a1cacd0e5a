"""The bolt ``AsyncApp``: single-workspace with ``SLACK_BOT_TOKEN``, or multi-workspace through
Bolt's own OAuth flow with slack_sdk's SQLAlchemy installation and state stores on the bot's
database (tables from migration 0002)."""

from __future__ import annotations

import logging

from pydantic import SecretStr
from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.platforms.slack_app.clients import web_client
from bot.platforms.slack_app.dedupe import skip_retried_events
from bot.platforms.slack_app.listeners import register_all
from bot.platforms.slack_app.pacing import WorkspacePacer
from bot.platforms.slack_app.services import SlackServices
from config.settings import SlackSettings

# Exactly what the code calls (see slack/manifest.yaml): posting (and DMs to admins) and ephemeral
# replies, joining a public channel it must post in, channel names for admin hints, thread replies
# and history in public and private channels, reading back the metadata (the idempotency key) of
# its own posts, /drill, and users.info for names and admin status.
BOT_SCOPES = (
    "channels:history",
    "channels:join",
    "channels:read",
    "chat:write",
    "commands",
    "files:write",  # exports (and pictures) uploaded to a member (files_upload_v2)
    "groups:history",
    "groups:read",
    "im:write",  # opening the direct message a member's file goes to (conversations.open)
    "metadata.message:read",  # finding a post again by the key it carries, before re-sending
    "users:read",
)
EVENTS_PATH = "/slack/events"
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_SECONDS = 600


def secret(value: SecretStr | None) -> str | None:
    """Unwrapped only here, where a client needs it; never logged."""
    return value.get_secret_value() if value is not None else None


def installation_store(
    settings: SlackSettings, engine: AsyncEngine
) -> AsyncSQLAlchemyInstallationStore:
    assert settings.client_id is not None
    return AsyncSQLAlchemyInstallationStore(client_id=settings.client_id, engine=engine)


def oauth_settings(
    settings: SlackSettings, engine: AsyncEngine, store: AsyncSQLAlchemyInstallationStore
) -> AsyncOAuthSettings:
    return AsyncOAuthSettings(
        client_id=settings.client_id,
        client_secret=secret(settings.client_secret),
        scopes=list(BOT_SCOPES),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        installation_store=store,
        installation_store_bot_only=True,
        state_store=AsyncSQLAlchemyOAuthStateStore(expiration_seconds=STATE_SECONDS, engine=engine),
        state_expiration_seconds=STATE_SECONDS,
    )


def build_app(
    settings: SlackSettings,
    services: SlackServices,
    oauth: AsyncOAuthSettings | None,
    pacer: WorkspacePacer | None = None,
) -> AsyncApp:
    """``process_before_response=False``: bolt acknowledges first and runs listeners after."""
    token = None if oauth is not None else secret(settings.bot_token)
    app = AsyncApp(
        name="drillbot",
        signing_secret=secret(settings.signing_secret) or "",
        client=web_client(settings.api_url, token, pacer=pacer),
        oauth_settings=oauth,
        process_before_response=False,
        # Under slack_bolt, which bot.logs holds at INFO: bolt's DEBUG lines carry request bodies.
        logger=logging.getLogger("slack_bolt.drillbot"),
    )
    app.use(skip_retried_events(services.claims, services.clock))
    register_all(app, services)
    return app
