"""SQLite's hot writes go straight to the driver (``on_driver``): what they store must be exactly
what SQLAlchemy would have stored, and a driver error must look like SQLAlchemy's own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import exc, insert, select

from bot.storage.engine import open_database
from bot.storage.migrate import upgrade
from bot.storage.repos.sql import on_driver
from bot.storage.tables import handled_requests, members
from bot.storage.uow import UnitOfWork

# A non-UTC offset: both paths must store it converted to UTC.
WHEN = datetime(2026, 11, 23, 9, 30, 15, 123456, tzinfo=timezone(timedelta(hours=5, minutes=30)))


@pytest.fixture
async def database(tmp_path):  # type: ignore[no-untyped-def]
    database = open_database(f"sqlite:///{tmp_path}/sql.db")
    await upgrade(database)
    yield database
    await database.dispose()


def _stored(uow: UnitOfWork, table: str) -> list[tuple[object, ...]]:
    """The values as SQLite holds them, with no SQLAlchemy type in between."""
    return [tuple(row) for row in uow.connection.exec_driver_sql(f"SELECT * FROM {table}")]


async def test_the_driver_stores_what_sqlalchemy_stores(database):
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


async def test_many_rows_at_once_and_rowcount(database):
    def work(uow: UnitOfWork) -> tuple[int, int]:
        rows = [{"request_key": f"k{n}", "handled_at": WHEN} for n in range(3)]
        first = on_driver(uow.connection, insert(handled_requests).prefix_with("OR IGNORE"), rows)
        again = on_driver(uow.connection, insert(handled_requests).prefix_with("OR IGNORE"), rows)
        return first.rowcount, again.rowcount

    assert await database.run(work) == (3, 0)


async def test_a_driver_error_is_sqlalchemys_own(database):
    def work(uow: UnitOfWork) -> None:
        row = {"request_key": "same", "handled_at": WHEN}
        on_driver(uow.connection, insert(handled_requests), row)
        on_driver(uow.connection, insert(handled_requests), row)

    with pytest.raises(exc.IntegrityError, match="UNIQUE"):
        await database.run(work)
