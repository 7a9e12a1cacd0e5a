"""Slack errors mapped onto the core's ``SendFailed``: what to retry, when, and what to tell admins.

Errors an admin can fix (a revoked or deactivated bot, a lost channel, a missing scope) are
*problems*: the core retries them with a long backoff and tells the channel's admins once, in the
words below. Errors no retry can fix (a message Slack refuses as built) fail the post for good.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.core.ports import SendFailed

# A post Slack refuses as built: no retry changes it.
PERMANENT = frozenset({"invalid_blocks", "msg_too_long", "no_text", "invalid_metadata_format"})
REINSTALL = (
    "Reinstall the Slack app in this workspace (from /slack/install, or set the new "
    "SLACK_BOT_TOKEN if Drillbot runs in one workspace)."
)
# Faults only an admin can fix, with the fix in words.
PROBLEMS = {
    "account_inactive": f"Drillbot's bot user was deactivated or the app was removed. {REINSTALL}",
    "invalid_auth": f"Slack no longer accepts Drillbot's token. {REINSTALL}",
    "not_authed": f"Drillbot has no token for this workspace. {REINSTALL}",
    "token_revoked": f"Drillbot was uninstalled from this workspace. {REINSTALL}",
    "channel_not_found": (
        "The channel was deleted or Drillbot cannot see it: invite @Drillbot to it, or run "
        "/drill admin channel in another channel."
    ),
    "is_archived": "The channel is archived: unarchive it, or register another drill channel.",
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
        return SendFailed(f"Slack answered HTTP {status} ({code})", unsure=True)
    if code == "missing_scope":
        needed = _field(error, "needed") or "a scope"
        hint = f"Add the {needed} scope to the Slack app and reinstall it."
        return SendFailed("missing_scope", admin_hint=hint, problem=code)
    if code == "not_in_channel":
        return not_in_channel(channel)
    if code in PROBLEMS:
        return SendFailed(code, admin_hint=PROBLEMS[code], problem=code)
    return SendFailed(code, permanent=code in PERMANENT)


def not_in_channel(channel: str, name: str | None = None) -> SendFailed:
    where = f"#{name}" if name else f"channel {channel}"
    hint = f"Invite @Drillbot to {where}."
    return SendFailed("not_in_channel", admin_hint=hint, problem="not_in_channel")


def not_installed(team_id: str | None) -> SendFailed:
    reason = f"Drillbot is not installed in Slack workspace {team_id or '?'}"
    hint = "Install it again from /slack/install."
    return SendFailed(reason, admin_hint=hint, problem="not_installed")


def from_transport_error(error: BaseException) -> SendFailed:
    """A timeout or a dropped connection: retryable, and the post may have gone out all the same."""
    return SendFailed(f"could not reach Slack: {type(error).__name__}", unsure=True)


def _field(error: SlackApiError, name: str) -> str | None:
    data = getattr(error.response, "data", None)
    value = data.get(name) if isinstance(data, dict) else None
    return str(value) if value else None
