"""Hot statements run straight on the driver (``bot.storage.repos.driver``): what they store and
read must be exactly what SQLAlchemy would store and read, a driver error must look like
SQLAlchemy's own, and a connection the server dropped must be replaced as SQLAlchemy's would."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import Date, bindparam, exc, insert, literal, select, text

from bot.storage.engine import open_database
from bot.storage.repos.driver import fetch_on_driver, on_driver
from bot.storage.tables import channels, handled_requests, members
from bot.storage.uow import Database, UnitOfWork

# A non-UTC offset: both paths must store it converted to UTC.
WHEN = datetime(2026, 11, 23, 9, 30, 15, 123456, tzinfo=timezone(timedelta(hours=5, minutes=30)))


def _stored(uow: UnitOfWork, table: str) -> list[tuple[object, ...]]:
    """The values as the database holds them, with no SQLAlchemy type in between."""
    return [tuple(row) for row in uow.connection.exec_driver_sql(f"SELECT * FROM {table}")]


async def test_the_driver_stores_what_sqlalchemy_stores(database: Database) -> None:
    """The same row written both ways is stored byte for byte the same (a datetime with an
    offset, non-ASCII text), and reads back as the same aware UTC datetime."""
    member = {"platform": "p", "space_ref": "s", "display_name": "Zoë 🚀"}

    def work(uow: UnitOfWork) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
        uow.connection.execute(insert(handled_requests), {"request_key": "a", "handled_at": WHEN})
        on_driver(
            uow.connection, insert(handled_requests), {"request_key": "b", "handled_at": WHEN}
        )
        uow.connection.execute(insert(members), {**member, "user_ref": "a"})
        on_driver(uow.connection, insert(members), {**member, "user_ref": "b"})
        uow.commit()
        return _stored(uow, "handled_requests"), _stored(uow, "members")

    requests, people = await database.run(work)
    assert [row[1:] for row in requests if "a" in row] == [
        row[1:] for row in requests if "b" in row
    ]
    assert len({row[-1] for row in people}) == 1 and len(people) == 2
    back = await database.run(
        lambda uow: uow.connection.execute(select(handled_requests.c.handled_at)).scalars().all()
    )
    assert back == [WHEN.astimezone(UTC)] * 2


async def test_the_driver_reads_what_sqlalchemy_reads(database: Database) -> None:
    """A read returns the same values as SQLAlchemy's (aware datetimes, dates, booleans, text),
    by column name, and a LIMIT the statement carries itself is sent with it."""
    row = {
        "platform": "p",
        "space_ref": "s",
        "channel_ref": "c",
        "post_time": "09:00",
        "timezone": "Asia/Kolkata",
        "days": "01234",
        "kinds": "",
        "answer_window_minutes": 60,
        "paused": True,
        "weekly_day": 0,
        "weekly_time": "10:00",
        "next_post_at": WHEN,
        "created_at": WHEN,
    }
    query = select(channels, channels.c.id.label("again")).order_by(channels.c.id).limit(1)

    def work(uow: UnitOfWork) -> tuple[list[object], list[object]]:
        uow.connection.execute(insert(channels), [row, {**row, "channel_ref": "d"}])
        ours = fetch_on_driver(uow.connection, query, {})
        theirs = uow.connection.execute(query).all()
        uow.commit()
        return [tuple(r) for r in ours], [tuple(r) for r in theirs]

    ours, theirs = await database.run(work)
    assert ours == theirs and len(ours) == 1
    found = await database.run(lambda uow: fetch_on_driver(uow.connection, query, {})[0])
    assert (found.channel_ref, found.paused, found.next_post_at) == ("c", True, WHEN)
    assert found.next_post_at.tzinfo is not None and found.again == found.id


async def test_a_statement_on_the_driver_is_part_of_the_transaction(database: Database) -> None:
    """Work that does not commit leaves nothing, its driver statements included."""

    def work(uow: UnitOfWork) -> None:
        on_driver(
            uow.connection, insert(handled_requests), {"request_key": "k", "handled_at": WHEN}
        )

    await database.run(work)
    found = await database.run(
        lambda uow: uow.connection.execute(select(handled_requests.c.request_key)).all()
    )
    assert found == []


async def test_a_driver_error_is_sqlalchemys_own(database: Database) -> None:
    def work(uow: UnitOfWork) -> None:
        row = {"request_key": "same", "handled_at": WHEN}
        on_driver(uow.connection, insert(handled_requests), row)
        on_driver(uow.connection, insert(handled_requests), row)

    with pytest.raises(exc.IntegrityError, match=r"(?i)unique|duplicate"):
        await database.run(work)
    assert await database.run(lambda uow: fetch_on_driver(uow.connection, select(1), {})) == [(1,)]


async def test_many_rows_at_once_and_rowcount(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """SQLite sends several rows in one call and counts the ones that went in."""
    from bot.storage.migrate import upgrade

    database = open_database(f"sqlite:///{tmp_path}/many.db")
    await upgrade(database)

    def work(uow: UnitOfWork) -> tuple[int, int]:
        rows = [{"request_key": f"k{n}", "handled_at": WHEN} for n in range(3)]
        first = on_driver(uow.connection, insert(handled_requests).prefix_with("OR IGNORE"), rows)
        again = on_driver(uow.connection, insert(handled_requests).prefix_with("OR IGNORE"), rows)
        return first.rowcount, again.rowcount

    try:
        assert await database.run(work) == (3, 0)
    finally:
        await database.dispose()


async def test_a_connection_the_server_dropped_is_replaced(database: Database) -> None:
    """A pooled connection the server dropped fails on the driver as it would in SQLAlchemy:
    marked invalid, so the work runs once more on a fresh connection and succeeds."""
    if database.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no server to drop connections")
    pid = text("SELECT pg_backend_pid() AS pid")
    first = await database.run(lambda uow: fetch_on_driver(uow.connection, pid, {})[0].pid)
    killer = open_database(str(database.engine.url.render_as_string(hide_password=False)))
    try:
        await killer.run(
            lambda uow: uow.connection.execute(text(f"SELECT pg_terminate_backend({first})"))
        )
    finally:
        await killer.dispose()
    runs: list[int] = []

    def work(uow: UnitOfWork) -> int:
        runs.append(1)
        return int(fetch_on_driver(uow.connection, pid, {})[0].pid)

    assert await database.run(work) != first
    assert len(runs) == 2


async def test_dates_go_and_come_back_as_dates(database: Database) -> None:
    """A date parameter goes through its bind processor and comes back through its result
    processor (SQLite keeps dates as text)."""
    day = date(2026, 11, 23)
    query = select(literal(day, Date()).label("day"), bindparam("later", type_=Date()))
    rows = await database.run(lambda uow: fetch_on_driver(uow.connection, query, {"later": day}))
    assert rows == [(day, day)] and rows[0].day == day


async def test_a_statement_is_compiled_once_for_every_engine_of_a_kind(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Each engine has its own dialect; the compiled form is kept per kind of database, so
    opening databases again and again neither compiles again nor keeps old engines alive."""
    from bot.storage.migrate import upgrade
    from bot.storage.repos import driver

    query = select(handled_requests.c.request_key).where(handled_requests.c.request_key == "x")
    for name in ("one", "two"):
        database = open_database(f"sqlite:///{tmp_path}/{name}.db")
        await upgrade(database)
        try:
            await database.run(lambda uow: fetch_on_driver(uow.connection, query, {}))
        finally:
            await database.dispose()
    assert sum(1 for key in driver._FORMS if key[0] is query) == 1


async def test_a_statement_cancelled_midway_leaves_the_pool_healthy(database_url: str) -> None:
    """A member's task cancelled while its statement runs (a client that gave up): the connection,
    in an unknown state, is thrown away, and the next unit of work gets a fresh one."""
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: a SQLite statement runs on the writer thread, not a task")
    database = open_database(database_url, pool_size=1, max_overflow=0)
    pid = text("SELECT pg_backend_pid() AS pid")
    try:
        first = await database.run(lambda uow: fetch_on_driver(uow.connection, pid, {})[0].pid)
        sleeping = asyncio.create_task(
            database.run(
                lambda uow: fetch_on_driver(uow.connection, text("SELECT pg_sleep(5)"), {})
            )
        )
        await asyncio.sleep(0.3)
        sleeping.cancel()
        with pytest.raises(asyncio.CancelledError):
            await sleeping
        async with asyncio.timeout(5):
            again = await database.run(lambda uow: fetch_on_driver(uow.connection, pid, {})[0].pid)
        assert again != first
    finally:
        await database.dispose()
