"""Events API retries never count twice: each ``event_id`` is claimed through the core before any
listener runs; a retry of a claimed event is acknowledged and dropped. When the database cannot
take the claim, the event is answered 503 (Socket Mode: left unacknowledged), so Slack delivers
it again later instead of it being lost."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from slack_bolt.response import BoltResponse

from bot.core.errors import StorageUnavailable
from bot.core.services.requests import EventClaims

log = logging.getLogger(__name__)


def event_id_of(body: dict[str, Any]) -> str | None:
    if body.get("type") != "event_callback":
        return None
    event_id = body.get("event_id")
    return str(event_id) if event_id else None


def _team(body: dict[str, Any]) -> str | None:
    team = body.get("team_id")
    return team if isinstance(team, str) else None


Next = Callable[[], Awaitable[None]]
Middleware = Callable[[dict[str, Any], Next], Awaitable[BoltResponse | None]]


def skip_retried_events(claims: EventClaims, clock: Callable[[], datetime]) -> Middleware:
    """A bolt global middleware (it runs after the signature check and authorization)."""

    async def middleware(body: dict[str, Any], next: Next) -> BoltResponse | None:
        event_id = event_id_of(body)
        try:
            first = event_id is None or await claims.claim(event_id, _team(body), clock())
        except StorageUnavailable as error:
            log.warning("Slack event %s left for Slack to retry: %s", event_id, error)
            return BoltResponse(status=503, body="")
        if first:
            await next()
            return None
        log.info("Slack event %s was handled before; acknowledging the retry", event_id)
        return BoltResponse(status=200, body="")

    return middleware
