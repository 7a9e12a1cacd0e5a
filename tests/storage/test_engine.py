from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.exc import OperationalError

from bot.core.errors import StorageUnavailable
from bot.storage.engine import DatabaseUnavailable, is_sqlite, normalize_url, open_database
from bot.storage.migrate import upgrade
from bot.storage.repos.streaks import StreakChanged


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db:5432/x", "postgresql+asyncpg://u:p@db:5432/x"),
        ("postgresql://u@db/x", "postgresql+asyncpg://u@db/x"),
        ("sqlite:///drillbot.db", "sqlite+aiosqlite:///drillbot.db"),
        ("sqlite+aiosqlite:///a.db", "sqlite+aiosqlite:///a.db"),
    ],
)
def test_urls_from_hosting_platforms_pick_the_async_driver(given, expected):
    assert normalize_url(given) == expected
    assert is_sqlite(given) == given.startswith("sqlite")


def test_a_sqlite_file_in_a_missing_folder_is_refused_clearly(tmp_path):
    with pytest.raises(DatabaseUnavailable, match="no folder"):
        open_database(f"sqlite:///{tmp_path}/nope/drillbot.db")


async def test_a_database_that_is_down_gives_a_clear_error():
    database = open_database("postgresql://nobody@127.0.0.1:1/none", connect_args={"timeout": 2})
    try:
        with pytest.raises(DatabaseUnavailable, match="cannot open the database"):
            await upgrade(database)
    finally:
        await database.dispose()


async def test_sqlite_is_created_with_wal_and_foreign_keys(tmp_path):
    database = open_database(f"sqlite:///{tmp_path}/x.db")
    try:
        await upgrade(database)
        mode, keys = await database.run(
            lambda uow: (
                uow.connection.exec_driver_sql("PRAGMA journal_mode").scalar(),
                uow.connection.exec_driver_sql("PRAGMA foreign_keys").scalar(),
            )
        )
    finally:
        await database.dispose()
    assert (mode, keys) == ("wal", 1)


async def test_a_locked_sqlite_database_fails_the_use_case_not_the_process(tmp_path):
    import sqlite3

    database = open_database(f"sqlite:///{tmp_path}/locked.db")
    await upgrade(database)
    blocker = sqlite3.connect(tmp_path / "locked.db", timeout=0)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        import bot.storage.engine as engine_module

        assert engine_module.SQLITE_BUSY_TIMEOUT_MS == 5000
        with pytest.raises(StorageUnavailable, match="locked") as failed:
            await database.run(lambda uow: uow.channels.all())
        assert isinstance(failed.value.__cause__, OperationalError)
    finally:
        blocker.rollback()
        blocker.close()
    assert await database.run(lambda uow: uow.channels.all()) == []
    await database.dispose()


async def test_a_connection_the_server_dropped_is_replaced_without_a_ping(database_url):
    """No ``pool_pre_ping``: the work meets the dead connection, rolls back, and runs again."""
    from sqlalchemy import text

    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: SQLite has no server to drop connections")
    database = open_database(database_url)
    killer = open_database(database_url)
    try:
        first = await database.run(
            lambda uow: uow.connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
        )
        await killer.run(
            lambda uow: uow.connection.execute(text(f"SELECT pg_terminate_backend({first})"))
        )
        again = await database.run(
            lambda uow: uow.connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
        )
        assert again != first
        assert database.engine.pool._pre_ping is False  # type: ignore[attr-defined]
    finally:
        await killer.dispose()
        await database.dispose()


async def test_work_that_needs_a_transaction_starts_over_in_one(database):
    """``autocommit`` work that asks for a transaction runs again, from the start, inside one
    (PostgreSQL); SQLite work always runs in one, so it never starts over."""
    runs: list[bool] = []

    def work(uow):  # type: ignore[no-untyped-def]
        runs.append(uow.autocommit)
        uow.require_transaction()
        return uow.connection.in_transaction()

    assert await database.run(work, autocommit=True) is True
    postgres = database.engine.dialect.name == "postgresql"
    assert runs == ([True, False] if postgres else [False])


async def test_work_that_met_a_changed_streak_runs_again(database):
    """PostgreSQL: work whose streak write found the streak changed since it was read runs again
    from the start; if it never gets through, the member is told to try again."""
    if database.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite's writers take turns, so no streak changes")
    runs: list[int] = []

    def twice(uow):  # type: ignore[no-untyped-def]
        runs.append(1)
        if len(runs) == 1:
            raise StreakChanged()
        return "kept"

    assert await database.run(twice, autocommit=True) == "kept" and len(runs) == 2

    def never(uow):  # type: ignore[no-untyped-def]
        raise StreakChanged()

    with pytest.raises(StorageUnavailable, match="kept changing"):
        await database.run(never)


async def test_sqlite_transactions_take_the_write_lock_when_they_begin(tmp_path):
    """A second connection cannot write while a unit of work is open, even one that has only
    read so far: BEGIN IMMEDIATE, sent by ``Database`` itself."""
    database = open_database(f"sqlite:///{tmp_path}/x.db")
    await upgrade(database)
    try:

        def work(uow):  # type: ignore[no-untyped-def]
            other = sqlite3.connect(tmp_path / "x.db", timeout=0)
            try:
                with pytest.raises(sqlite3.OperationalError, match="locked"):
                    other.execute("BEGIN IMMEDIATE")
            finally:
                other.close()

        await database.run(work)
    finally:
        await database.dispose()
