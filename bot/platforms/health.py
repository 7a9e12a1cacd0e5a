"""The connection state of every platform in the process.

``/healthz`` (Slack's HTTP mode) reports it, and a connection that failed for good (a revoked
token) sets ``failed``, which stops ``drillbot run`` with a non-zero status so the process manager
restarts it: the bot never sits alive and deaf.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class State(StrEnum):
    STARTING = "starting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"  # a transient failure; the platform's client is retrying
    FAILED = "failed"  # for good: only a person can fix it


class ConnectionFailed(Exception):
    """A platform's connection failed for good; the message names the cause and the fix."""


Probe = Callable[[], Awaitable[State]]


@dataclass
class Connection:
    platform: str
    state: State = State.STARTING
    detail: str = ""
    probe: Probe | None = None  # asked for the live state while connected

    async def current(self) -> State:
        if self.state is State.CONNECTED and self.probe is not None:
            return await self.probe()
        return self.state


@dataclass
class Health:
    connections: dict[str, Connection] = field(default_factory=dict)
    failed: asyncio.Event = field(default_factory=asyncio.Event)

    def connection(self, platform: str) -> Connection:
        return self.connections.setdefault(platform, Connection(platform))

    def connected(self, platform: str, probe: Probe | None = None) -> None:
        found = self.connection(platform)
        if found.state is not State.FAILED:
            found.state, found.detail = State.CONNECTED, ""
        found.probe = probe or found.probe

    def fail(self, platform: str, reason: str) -> None:
        found = self.connection(platform)
        found.state, found.detail = State.FAILED, reason
        self.failed.set()

    def reasons(self) -> list[str]:
        return [f"{c.platform}: {c.detail}" for c in self.connections.values() if c.detail]

    async def report(self) -> tuple[bool, dict[str, Any]]:
        """Healthy when every platform is connected; the JSON body ``/healthz`` answers with."""
        states = {name: await c.current() for name, c in self.connections.items()}
        healthy = bool(states) and all(s is State.CONNECTED for s in states.values())
        platforms = {
            name: {"state": str(state), **({"detail": c.detail} if c.detail else {})}
            for (name, state), c in zip(states.items(), self.connections.values(), strict=True)
        }
        return healthy, {"status": "ok" if healthy else "unhealthy", "platforms": platforms}
