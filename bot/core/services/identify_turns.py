"""Turns at a chat gateway's IDENTIFY for processes sharing one database (Discord allows one
IDENTIFY per 5 s in each concurrency bucket, whichever process sends it)."""

from __future__ import annotations

from datetime import timedelta

from bot.core.services.context import Core
from bot.storage.uow import UnitOfWork

# How long a process queues for a bucket before giving up on the database (and pausing alone);
# processes launch their shards one at a time, so each has at most one IDENTIFY in the queue.
PATIENCE = timedelta(minutes=5)


def turns_are_shared(core: Core) -> bool:
    """Whether other processes may IDENTIFY against this database (PostgreSQL), so turns are
    taken through it; on SQLite the one process paces itself."""
    return core.db.shared_by_processes


async def take_identify_turn(core: Core, bucket: int, spacing: timedelta) -> float:
    """Return once ``spacing`` has passed since any process's last IDENTIFY in ``bucket``, that
    turn now recorded as this one's; the seconds waited. ``StorageUnavailable`` if the database
    cannot say."""

    def work(uow: UnitOfWork) -> float:
        waited = uow.identify_turns.take(bucket, spacing, PATIENCE)
        uow.commit()
        return waited

    return await core.db.run(work)
