"""The port: what the core asks of a platform. Discord, Slack and the console implement it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.core.cards import Card


@dataclass(frozen=True)
class Posted:
    """Where a post landed: its message, and the thread opened for it if any."""

    message_ref: str
    thread_ref: str | None = None


class SendFailed(Exception):
    """A post did not go out. ``permanent`` failures are not retried; ``admin_hint`` says what to fix."""

    def __init__(
        self,
        reason: str,
        *,
        retry_after: float | None = None,
        permanent: bool = False,
        admin_hint: str | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.permanent = permanent
        self.admin_hint = admin_hint


class Platform(Protocol):
    """Delivers cards. ``idempotency_key`` is stable across retries of one post."""

    name: str

    async def deliver(
        self, channel_ref: str, thread_ref: str | None, card: Card, idempotency_key: str
    ) -> Posted:
        """Post ``card`` (a drill post also opens its thread); raise ``SendFailed`` on failure."""
        ...
