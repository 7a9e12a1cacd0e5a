"""Each platform's connection state, one row per platform, overwritten on every change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select

from bot.core.model import ConnectionState
from bot.storage.repos.sql import execute_upsert
from bot.storage.tables import connections

DETAIL_CHARS = 500


class ConnectionRepo:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def record(self, platform: str, state: str, detail: str | None, now: datetime) -> None:
        row = {
            "platform": platform,
            "state": state,
            "detail": detail[:DETAIL_CHARS] if detail else None,
            "changed_at": now,
        }
        execute_upsert(self._c, connections, ("platform",), row)

    def all(self) -> list[ConnectionState]:
        rows = self._c.execute(select(connections).order_by(connections.c.platform))
        return [ConnectionState(r.platform, r.state, r.detail, r.changed_at) for r in rows]
