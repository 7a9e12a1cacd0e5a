"""IDENTIFY turns through PostgreSQL: one bucket's turns queue and are spaced, other buckets'
are not held up; on SQLite there are no shared turns (the one process paces itself)."""

from __future__ import annotations

import asyncio
import itertools
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.core.services.context import Core
from bot.core.services.identify_turns import take_identify_turn, turns_are_shared
from bot.storage.tables import identify_turns
from drills import Catalogue
from tests.conftest import postgres_schema, postgres_url

SPACING = timedelta(seconds=0.3)


def test_turns_are_shared_on_postgresql_only(core: Core, database_url: str) -> None:
    assert turns_are_shared(core) == database_url.startswith("postgresql")


@pytest.mark.postgres
async def test_turns_in_one_bucket_queue_and_other_buckets_go_at_once(bank: Catalogue) -> None:
    url = postgres_url()
    assert url is not None
    async with postgres_schema(url) as db:
        core = Core(db=db, bank=bank)
        started = time.monotonic()

        async def turn(bucket: int) -> tuple[int, float, float]:
            waited = await take_identify_turn(core, bucket, SPACING)
            return bucket, waited, time.monotonic() - started

        # Each turn runs on a connection of its own, as separate processes would.
        done = await asyncio.gather(turn(0), turn(0), turn(0), turn(1))
        stored = await db.run(
            lambda uow: uow.connection.execute(select(identify_turns.c.bucket)).scalars().all()
        )
    zero = sorted(at for bucket, _, at in done if bucket == 0)
    # Spaced on the server's clock; seen here a few milliseconds either way.
    assert all(later - earlier >= 0.25 for earlier, later in itertools.pairwise(zero))
    assert sorted(waited > 0 for bucket, waited, _ in done if bucket == 0) == [False, True, True]
    [(_, waited_in_one, at_in_one)] = [d for d in done if d[0] == 1]
    assert waited_in_one == 0 and at_in_one < zero[-1]
    assert sorted(stored) == [0, 1]
