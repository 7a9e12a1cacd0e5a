"""Events API retries never count twice: each ``event_id`` is claimed in ``slack_events`` before
any listener runs; a retry of a claimed event is acknowledged and dropped.

A listener that fails releases its claim, so Slack's next retry gets another chance.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from slack_bolt.response import BoltResponse
from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.tables import slack_events

log = logging.getLogger(__name__)
# Slack retries an event three times within about an hour; a day is plenty.
KEEP = timedelta(days=1)
PRUNE_EVERY = 500


class EventClaims:
    def __init__(self, engine: AsyncEngine, keep: timedelta = KEEP) -> None:
        self.engine = engine
        self.keep = keep
        self._claims = 0

    async def claim(self, event_id: str, team_id: str | None, now: datetime) -> bool:
        """True for the first delivery of ``event_id``; False for every retry after it."""
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        statement = dialect.insert(slack_events).on_conflict_do_nothing()
        values = {"event_id": event_id[:64], "team_id": team_id, "received_at": now}
        async with self.engine.begin() as connection:
            claimed = (await connection.execute(statement.values(**values))).rowcount == 1
        self._claims += 1
        if self._claims % PRUNE_EVERY == 0:
            await self.prune(now)
        return claimed

    async def release(self, event_id: str) -> None:
        async with self.engine.begin() as connection:
            await connection.execute(
                delete(slack_events).where(slack_events.c.event_id == event_id)
            )

    async def prune(self, now: datetime) -> None:
        cutoff = now - self.keep
        async with self.engine.begin() as connection:
            await connection.execute(
                delete(slack_events).where(slack_events.c.received_at < cutoff)
            )


def event_id_of(body: dict[str, Any]) -> str | None:
    if body.get("type") != "event_callback":
        return None
    event_id = body.get("event_id")
    return str(event_id) if event_id else None


Next = Callable[[], Awaitable[None]]
Middleware = Callable[[dict[str, Any], Next], Awaitable[BoltResponse | None]]


def skip_retried_events(claims: EventClaims, clock: Callable[[], datetime]) -> Middleware:
    """A bolt global middleware (it runs after the signature check and authorization)."""

    async def middleware(body: dict[str, Any], next: Next) -> BoltResponse | None:
        event_id = event_id_of(body)
        if event_id is None or await claims.claim(event_id, body.get("team_id"), clock()):
            await next()
            return None
        log.info("Slack event %s was handled before; acknowledging the retry", event_id)
        return BoltResponse(status=200, body="")

    return middleware
