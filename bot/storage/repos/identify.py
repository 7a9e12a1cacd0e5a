"""Turns at Discord's gateway IDENTIFY, shared by every process on one PostgreSQL database.

Discord accepts one IDENTIFY per ``spacing`` (5 s) in each concurrency bucket. A turn is taken in
one transaction: a transaction-level advisory lock on the bucket (so processes queue), a sleep on
the server until ``spacing`` has passed since the bucket's last IDENTIFY, and the new time written;
the commit releases the lock. Every time is the database server's clock, so processes on machines
whose clocks disagree still keep the spacing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, Select, extract, func, select
from sqlalchemy.dialects import postgresql

from bot.storage.tables import identify_turns

# The first key of every advisory lock Drillbot takes ("DRLB"), the bucket being the second.
LOCK_SPACE = 0x44524C42


class IdentifyTurnRepo:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def take(self, bucket: int, spacing: timedelta, patience: timedelta) -> float:
        """Wait for ``bucket``'s turn (queueing at most ``patience`` for the lock), record it and
        return the seconds slept; the caller commits, which lets the next process in."""
        if self._c.dialect.name != "postgresql":
            raise NotImplementedError("IDENTIFY turns are taken on PostgreSQL only")
        milliseconds = str(max(1, int(patience.total_seconds() * 1000)))
        self._c.execute(select(func.set_config("lock_timeout", milliseconds, True)))
        self._c.execute(select(func.pg_advisory_xact_lock(LOCK_SPACE, bucket)))
        wait = self._c.execute(_wait(bucket, spacing)).scalar_one_or_none()
        slept = max(0.0, float(wait or 0))
        if slept > 0:
            self._c.execute(select(func.pg_sleep(slept)))
        self._c.execute(_record(bucket))
        return slept


def _wait(bucket: int, spacing: timedelta) -> Select[Any]:
    """Seconds left until ``spacing`` has passed since the bucket's last IDENTIFY (no row: none)."""
    since = extract("epoch", func.clock_timestamp() - identify_turns.c.identified_at)
    return select(spacing.total_seconds() - since).where(identify_turns.c.bucket == bucket)


def _record(bucket: int) -> postgresql.Insert:
    statement = postgresql.insert(identify_turns).values(
        bucket=bucket, identified_at=func.clock_timestamp()
    )
    return statement.on_conflict_do_update(
        index_elements=["bucket"], set_={"identified_at": func.clock_timestamp()}
    )
