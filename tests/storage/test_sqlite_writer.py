"""SQLite's writer thread: units queued while it is busy share one transaction (group commit), yet
each is rolled back alone, and none is reported done before the shared COMMIT."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError

from bot.storage.engine import open_database
from bot.storage.uow import Database, UnitOfWork


class Boom(Exception):
    pass


@pytest.fixture
async def database(tmp_path) -> AsyncIterator[Database]:  # type: ignore[no-untyped-def]
    database = open_database(f"sqlite:///{tmp_path}/writer.db")

    def tables(uow: UnitOfWork) -> None:
        run = uow.connection.exec_driver_sql
        run("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
        run("CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id))")
        run("INSERT INTO parent (id) VALUES (1)")
        uow.commit()

    await database.run(tables)
    yield database
    await database.dispose()


def insert(child: int, parent: int = 1) -> Callable[[UnitOfWork], None]:
    def work(uow: UnitOfWork) -> None:
        uow.connection.exec_driver_sql(
            f"INSERT INTO child (id, parent_id) VALUES ({child}, {parent})"
        )

    return work


def committing(work: Callable[[UnitOfWork], Any]) -> Callable[[UnitOfWork], Any]:
    def committed(uow: UnitOfWork) -> Any:
        value = work(uow)
        uow.commit()
        return value

    return committed


async def children(database: Database) -> list[int]:
    rows = await database.run(
        lambda uow: uow.connection.exec_driver_sql("SELECT id FROM child ORDER BY id").all()
    )
    return [row[0] for row in rows]


async def while_busy(database: Database, works: list[Callable[[UnitOfWork], Any]]) -> list[Any]:
    """Run ``works`` queued together behind a unit that holds the writer thread."""
    entered, release = threading.Event(), threading.Event()

    def hold(uow: UnitOfWork) -> str:
        entered.set()
        release.wait(10)
        return "held"

    held = asyncio.create_task(database.run(hold))
    await asyncio.to_thread(entered.wait, 10)
    queued = [asyncio.create_task(database.run(work)) for work in works]
    await asyncio.sleep(0.05)  # every task has queued its unit
    release.set()
    assert await held == "held"
    return await asyncio.gather(*queued, return_exceptions=True)


async def test_units_queued_together_share_one_transaction(database):
    seen: list[tuple[bool, bool]] = []

    def look(uow: UnitOfWork) -> None:
        seen.append((uow.grouped, uow.connection.in_transaction()))

    await while_busy(database, [look, look, look])
    assert seen == [(True, True)] * 3


async def test_each_unit_of_a_group_is_rolled_back_alone(database):
    def fails(uow: UnitOfWork) -> None:
        insert(20)(uow)
        raise Boom("after writing")

    def writes_after_commit(uow: UnitOfWork) -> str:
        committing(insert(40))(uow)
        insert(41)(uow)  # never committed: undone, while 40 stays
        return "done"

    outcomes = await while_busy(
        database, [committing(insert(10)), fails, insert(30), writes_after_commit]
    )
    assert outcomes[0] is None and isinstance(outcomes[1], Boom)
    assert outcomes[2:] == [None, "done"]
    assert await children(database) == [10, 40]


def orphan(uow: UnitOfWork) -> None:
    """A write that breaks only at COMMIT: a foreign key checked late."""
    uow.connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    insert(99, parent=404)(uow)
    uow.commit()


async def test_a_failed_group_commit_fails_every_unit_and_keeps_nothing(database):
    """A unit whose write breaks the group's COMMIT takes its group with it: no unit is told it
    succeeded, and none of their writes stands."""
    outcomes = await while_busy(database, [committing(insert(10)), orphan, committing(insert(11))])
    assert all(isinstance(outcome, IntegrityError) for outcome in outcomes)
    assert await children(database) == []
    await database.run(committing(insert(12)))  # the writer goes on
    assert await children(database) == [12]


async def test_a_failed_commit_of_a_unit_alone_leaves_the_writer_usable(database):
    with pytest.raises(IntegrityError):
        await database.run(orphan)
    await database.run(committing(insert(12)))
    assert await children(database) == [12]


async def test_a_unit_alone_has_a_transaction_of_its_own(database):
    def look(uow: UnitOfWork) -> bool:
        return uow.grouped

    assert await database.run(look) is False


async def test_a_cancelled_wait_loses_no_other_unit(database):
    entered, release = threading.Event(), threading.Event()

    def hold(uow: UnitOfWork) -> None:
        entered.set()
        release.wait(10)

    held = asyncio.create_task(database.run(hold))
    await asyncio.to_thread(entered.wait, 10)
    abandoned = asyncio.create_task(database.run(committing(insert(1))))
    kept = asyncio.create_task(database.run(committing(insert(2))))
    await asyncio.sleep(0.05)
    abandoned.cancel()
    release.set()
    await asyncio.gather(held, kept)
    # The abandoned unit had already been handed over: it ran and committed; only its answer
    # was not waited for.
    assert await children(database) == [1, 2]


async def test_closing_finishes_queued_units_first(tmp_path):
    database = open_database(f"sqlite:///{tmp_path}/close.db")
    runs = [asyncio.create_task(database.run(lambda uow, n=n: n)) for n in range(5)]
    await asyncio.sleep(0)
    await database.dispose()
    assert await asyncio.gather(*runs) == [0, 1, 2, 3, 4]


async def test_work_sent_after_closing_is_refused_clearly(tmp_path):
    from bot.core.errors import StorageUnavailable

    database = open_database(f"sqlite:///{tmp_path}/closed.db")
    await database.dispose()
    with pytest.raises(StorageUnavailable, match="closed"):
        await database.run(lambda uow: 1)


async def test_checkpoints_leave_the_writer_and_keep_the_wal_short(tmp_path, monkeypatch):
    """The writer's commits never checkpoint (a member would wait for it); the background
    checkpoints, and the writer's own once the WAL passes its limit, keep the WAL short and
    copy the writes into the database file."""
    from bot.storage import sqlite_checkpoint

    monkeypatch.setattr(sqlite_checkpoint, "CHECKPOINT_EVERY", 10)
    monkeypatch.setattr(sqlite_checkpoint, "WAL_LIMIT_FRAMES", 200)
    path = tmp_path / "wal.db"
    database = open_database(f"sqlite:///{path}")
    try:
        autocheckpoint = await database.run(
            lambda uow: uow.connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
        )
        await database.run(
            committing(lambda uow: uow.connection.exec_driver_sql("CREATE TABLE page (b BLOB)"))
        )
        for _ in range(600):  # about three WAL frames each: 7 MB of WAL left to itself
            await database.run(
                committing(
                    lambda uow: uow.connection.exec_driver_sql(
                        "INSERT INTO page VALUES (randomblob(4000))"
                    )
                )
            )
        wal, main = (tmp_path / "wal.db-wal").stat().st_size, path.stat().st_size
    finally:
        await database.dispose()
    assert autocheckpoint == 0
    assert wal < 3_000_000
    assert main > 600 * 4000


async def test_units_sent_at_once_to_a_locked_file_each_fail_clearly(tmp_path, monkeypatch):
    """Another process holds the write lock: every unit of the group is told the storage is
    unavailable (none hangs), and the writer works again once the lock is gone."""
    import sqlite3

    from bot.core.errors import StorageUnavailable
    from bot.storage import engine

    monkeypatch.setattr(engine, "SQLITE_BUSY_TIMEOUT_MS", 200)
    path = tmp_path / "locked.db"
    database = open_database(f"sqlite:///{path}")
    await database.run(committing(lambda uow: uow.connection.exec_driver_sql("CREATE TABLE t (n)")))
    blocker = sqlite3.connect(path, timeout=0)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        write = committing(lambda uow: uow.connection.exec_driver_sql("INSERT INTO t VALUES (1)"))
        outcomes = await asyncio.wait_for(
            asyncio.gather(*(database.run(write) for _ in range(4)), return_exceptions=True), 10
        )
        assert all(isinstance(outcome, StorageUnavailable) for outcome in outcomes), outcomes
    finally:
        blocker.rollback()
        blocker.close()
    await database.run(write)
    count = await database.run(
        lambda uow: uow.connection.exec_driver_sql("SELECT count(*) FROM t").scalar()
    )
    await database.dispose()
    assert count == 1
