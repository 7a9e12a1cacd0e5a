"""The port: what the core asks of a platform. Discord, Slack and the console implement it.

``Platform`` is required; ``Adopts``, ``AlertsAdmins`` and ``Paced`` are what a platform may add,
and the core uses them when a platform has them (checked with ``isinstance``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from bot.core.cards import Card, Notice
from bot.core.model import Actor


@dataclass(frozen=True)
class Posted:
    """Where a post landed: its message, and the thread opened for it if any."""

    message_ref: str
    thread_ref: str | None = None
    adopted: bool = False  # found already posted by an earlier attempt, not sent now


class SendFailed(Exception):
    """A post did not go out. ``permanent`` failures are not retried; ``admin_hint`` says what to fix.

    ``problem`` names a fault only an admin can fix (a removed bot, a missing scope): the post is
    retried with a long backoff and the channel's admins are told once. ``unsure`` means the post
    may have gone out all the same (a timeout), so the next attempt looks for it first.
    """

    def __init__(
        self,
        reason: str,
        *,
        retry_after: float | None = None,
        permanent: bool = False,
        admin_hint: str | None = None,
        problem: str | None = None,
        unsure: bool = False,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.permanent = permanent
        self.admin_hint = admin_hint
        self.problem = problem
        self.unsure = unsure


class Platform(Protocol):
    """Delivers cards. ``idempotency_key`` is stable across retries of one post."""

    name: str

    async def deliver(
        self, channel_ref: str, thread_ref: str | None, card: Card, idempotency_key: str
    ) -> Posted:
        """Post ``card`` (a drill post also opens its thread); raise ``SendFailed`` on failure."""
        ...


@runtime_checkable
class Paced(Protocol):
    """A platform that paces its own sends by the platform's rate limits (the limit headers it
    has seen, Retry-After), so the core may keep ``send_lanes`` posts in flight on it at once and
    leave the timing to it."""

    @property
    def send_lanes(self) -> int:
        """How many posts it can usefully take at once to stay at its rate limit."""
        ...


class AdminNotices(Protocol):
    """Tells a space's admins about a problem (a post that keeps failing), with the fix in words."""

    async def notify_admins(
        self, space_ref: str, admin_ref: str | None, notice: Notice, idempotency_key: str
    ) -> Posted:
        """Where the admins will see it (Discord: the server's system channel if Drillbot may
        post there, else a DM to ``admin_ref``, the admin who set the channel up)."""


@dataclass(frozen=True)
class ThreadReply:
    """A member's message found in a thread the core adopted."""

    author: Actor
    message_ref: str
    text: str
    at: datetime


@runtime_checkable
class Adopts(Protocol):
    """A platform that can find a post an earlier attempt made, when that attempt's outcome is
    unknown (a timeout, a crash after the claim), and read the replies in its thread."""

    async def find_posted(
        self, channel_ref: str, thread_ref: str | None, card: Card, key: str, since: datetime
    ) -> Posted | None:
        """The post made under ``key`` at or after ``since``, if there is one."""
        ...

    async def thread_replies(
        self, space_ref: str, thread_ref: str, since: datetime
    ) -> list[ThreadReply]:
        """Members' replies in a thread of the space (bots left out), oldest first."""
        ...


@dataclass(frozen=True)
class AdminAlert:
    """What a channel's admins are told once per problem: what is wrong and how to fix it."""

    channel_ref: str
    problem: str
    fix: str

    @property
    def text(self) -> str:
        return (
            f"Drillbot cannot post in this channel ({self.problem}). To fix it: {self.fix} "
            "Drillbot keeps trying every few hours until then."
        )


@runtime_checkable
class AlertsAdmins(Protocol):
    async def alert_admins(self, space_ref: str, alert: AdminAlert) -> None:
        """Tell the admins of ``space_ref`` where they will see it; raise ``SendFailed`` if not."""
        ...
