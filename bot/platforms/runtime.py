"""What ``bot.service`` needs from a platform adapter: its port, and a way to start and stop it."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from bot.core.ports import Platform


class PlatformRuntime(Protocol):
    """One connected platform (a Discord client, a Slack app) sharing the process's event loop."""

    @property
    def platform(self) -> Platform:
        """The port the core's delivery uses to post on this platform."""
        ...

    async def start(self) -> None:
        """Connect and begin handling events; returns once the platform is ready."""
        ...

    async def stop(self) -> None:
        """Disconnect and release every resource; safe to call twice."""
        ...


class ConnectionLost(Exception):
    """A platform's connection ended for good; the message names the cause and the fix."""


@runtime_checkable
class Watched(Protocol):
    """A runtime whose connection can end for good (a fatal close), which it reports."""

    async def watch(self) -> None:
        """Return once stopped; raise (the message names cause and fix) when the connection
        ended for good, so the process exits non-zero and its manager restarts it."""
        ...
