"""Requests already handled: member actions (a vote click, a command) and platform event deliveries,
each claimed by its id before it is acted on, so a redelivery is recognised and changes nothing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete

from bot.storage.repos.sql import execute_ignoring_conflicts
from bot.storage.tables import handled_requests, slack_events

EVENT_ID_CHARS = 64


class RequestRepo:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def claim(self, request_key: str, now: datetime) -> bool:
        """True the first time ``request_key`` is seen; a retry of the same request gets False."""
        row = {"request_key": request_key, "handled_at": now}
        return bool(execute_ignoring_conflicts(self._c, handled_requests, row).rowcount)

    def claim_event(self, event_id: str, team_id: str | None, now: datetime) -> bool:
        """True for the first delivery of a Slack event; False for every retry after it."""
        row = {"event_id": event_id[:EVENT_ID_CHARS], "team_id": team_id, "received_at": now}
        return bool(execute_ignoring_conflicts(self._c, slack_events, row).rowcount)

    def release_event(self, event_id: str) -> None:
        self._c.execute(delete(slack_events).where(slack_events.c.event_id == event_id))

    def prune_events(self, before: datetime) -> None:
        self._c.execute(delete(slack_events).where(slack_events.c.received_at < before))
