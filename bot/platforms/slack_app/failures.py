"""Slack errors mapped onto the core's ``SendFailed``: what to retry, when, and what to tell admins."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.core.ports import SendFailed

# Errors that no retry can fix: the post is recorded as failed with the reason.
PERMANENT = frozenset(
    {
        "channel_not_found",
        "is_archived",
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "account_inactive",
        "invalid_blocks",
        "msg_too_long",
        "no_text",
    }
)
HINTS = {
    "token_revoked": "Drillbot was uninstalled from this workspace; reinstall it.",
    "account_inactive": "Drillbot was uninstalled from this workspace; reinstall it.",
    "is_archived": "The channel is archived; register another drill channel.",
    "channel_not_found": "The channel no longer exists or Drillbot cannot see it.",
}
TRANSPORT_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError, SlackClientError)


def error_code(error: SlackApiError) -> str:
    data = getattr(error.response, "data", None)
    return str(data.get("error", "unknown_error")) if isinstance(data, dict) else "unknown_error"


def status_code(error: SlackApiError) -> int:
    return int(getattr(error.response, "status_code", 200) or 200)


def retry_after(error: SlackApiError) -> float | None:
    """Slack's ``Retry-After`` header (seconds), looked up case-insensitively."""
    headers: Any = getattr(error.response, "headers", None) or {}
    for name, value in dict(headers).items():
        if str(name).lower() == "retry-after":
            raw = value[0] if isinstance(value, list | tuple) else value
            try:
                return float(raw)
            except (TypeError, ValueError):
                return None
    return None


def from_api_error(error: SlackApiError, channel: str) -> SendFailed:
    """The ``SendFailed`` for an error Slack answered with (after the SDK's own retries)."""
    code = error_code(error)
    status = status_code(error)
    if status == 429 or code == "ratelimited":
        return SendFailed("rate limited by Slack", retry_after=retry_after(error) or 1.0)
    if status >= 500:
        return SendFailed(f"Slack answered HTTP {status} ({code})")
    if code == "missing_scope":
        needed = _field(error, "needed") or "a scope"
        hint = f"Add the {needed} scope to the Slack app and reinstall it."
        return SendFailed("missing_scope", admin_hint=hint)
    if code == "not_in_channel":
        return not_in_channel(channel)
    return SendFailed(code, permanent=code in PERMANENT, admin_hint=HINTS.get(code))


def not_in_channel(channel: str, name: str | None = None) -> SendFailed:
    where = f"#{name}" if name else f"channel {channel}"
    return SendFailed("not_in_channel", admin_hint=f"Invite @Drillbot to {where}.")


def from_transport_error(error: BaseException) -> SendFailed:
    """A timeout or connection failure: retryable."""
    return SendFailed(f"could not reach Slack: {type(error).__name__}")


def _field(error: SlackApiError, name: str) -> str | None:
    data = getattr(error.response, "data", None)
    value = data.get(name) if isinstance(data, dict) else None
    return str(value) if value else None
