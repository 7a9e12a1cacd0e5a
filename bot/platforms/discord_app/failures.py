"""Discord errors into the core's ``SendFailed``: what is retried, what is permanent, what to fix.

429s never get here: discord.py's rate limiter waits and retries them (and 5xx a few times).
"""

from __future__ import annotations

import asyncio

import aiohttp
import discord

from bot.core.ports import SendFailed

MISSING_ACCESS, MISSING_PERMISSIONS = 50001, 50013
UNKNOWN_CHANNEL = 10003
TOO_MANY_REQUESTS = 429
TRANSPORT_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError, OSError)


def permission_hint(where: str) -> str:
    return (
        "Drillbot needs Send Messages, Create Public Threads and Send Messages in Threads "
        f"in {where}"
    )


def _retry_after(error: discord.HTTPException) -> float:
    headers = getattr(error.response, "headers", None) or {}
    try:
        return float(headers.get("Retry-After", 1))
    except ValueError:
        return 1.0


def send_failed(error: BaseException, where: str) -> SendFailed:
    """The ``SendFailed`` for ``error`` while posting in ``where`` (``#name``)."""
    if isinstance(error, discord.Forbidden):
        hint = (
            permission_hint(where) if error.code in (MISSING_ACCESS, MISSING_PERMISSIONS) else None
        )
        return SendFailed(f"Discord refused the post ({error.code})", admin_hint=hint)
    if isinstance(error, discord.NotFound):
        gone = error.code == UNKNOWN_CHANNEL
        return SendFailed(f"Discord: {where} not found ({error.code})", permanent=gone)
    if isinstance(error, discord.RateLimited):
        return SendFailed("Discord rate limit", retry_after=error.retry_after)
    if isinstance(error, discord.HTTPException) and error.status == TOO_MANY_REQUESTS:
        # discord.py gave up after retrying its 429s: a rate limit still, not a rejection.
        return SendFailed("Discord rate limit (429)", retry_after=_retry_after(error))
    if isinstance(error, discord.DiscordServerError | discord.GatewayNotFound):
        return SendFailed(f"Discord is having trouble ({type(error).__name__})")
    if isinstance(error, discord.HTTPException):
        # Any other 4xx means Discord rejected what was sent; sending it again cannot help.
        return SendFailed(
            f"Discord rejected the post ({error.status}/{error.code})", permanent=True
        )
    return SendFailed(f"could not reach Discord ({type(error).__name__})")
