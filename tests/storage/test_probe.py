"""``drillbot check``'s bare-driver probe reads a URL as the engine does and finds what it finds."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import make_url

from bot.storage.engine import normalize_url, open_database
from bot.storage.migrate import current_revision, upgrade
from bot.storage.probe import (
    READ_ONLY,
    DatabaseUnavailable,
    covers,
    database_state,
    head_revision,
    postgres_options,
    split_url,
    sqlite_target,
)
from tests.conftest import postgres_url

SQLITE_URLS = [
    "sqlite:///drillbot.db",
    "sqlite+aiosqlite:///data/drillbot.db",
    "sqlite:////var/lib/drillbot/drillbot.db",
    "sqlite://",
    "sqlite:///:memory:",
    "sqlite:///file:/srv/ro.db?mode=ro&uri=true",
    "sqlite:///file:/srv/ro.db?uri=true&timeout=3&cache=shared&mode=rw",
    "sqlite:///drillbot.db?timeout=3",
]
POSTGRES_URLS = [
    "postgresql://drill:s3cret@db.example:5433/drills",
    "postgres://drill:p%40ss%3Aword@db.example/drills",
    "postgresql+asyncpg://drill@db.example/drills?ssl=require",
    "postgresql://drill@[::1]:5432/drills?application_name=drillbot",
    "postgresql://drill@db.example/drills?prepared_statement_cache_size=0",
    "postgresql:///drills",
]


@pytest.mark.parametrize("url", SQLITE_URLS)
def test_a_sqlite_url_opens_the_file_the_engine_opens(url: str) -> None:
    args, options = SQLiteDialect_pysqlite().create_connect_args(make_url(url))
    assert sqlite_target(split_url(url)) == (args[0], options.get("uri", False))


@pytest.mark.parametrize("url", POSTGRES_URLS)
def test_a_postgresql_url_gives_asyncpg_what_the_engine_gives_it(url: str) -> None:
    _, options = PGDialect_asyncpg().create_connect_args(make_url(normalize_url(url)))
    options.pop("prepared_statement_cache_size", None)  # the dialect's, not asyncpg's
    assert postgres_options(split_url(url)) == {"timeout": 5.0, **options}


def test_hosts_in_the_query_are_left_to_the_engine() -> None:
    assert covers(POSTGRES_URLS[0]) and all(covers(url) for url in SQLITE_URLS)
    assert not covers("postgresql://drill@/drills?host=a:5432&host=b:5432")


async def test_an_empty_then_a_migrated_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/probe.db"
    assert await database_state(url) is None
    database = open_database(url)
    await upgrade(database)
    assert await database_state(url) == head_revision() == await current_revision(database)
    await database.dispose()


async def test_a_read_only_sqlite_file_is_refused_as_read_only(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path}/ro.db")
    await upgrade(database)
    await database.dispose()
    with pytest.raises(DatabaseUnavailable, match="the database is read-only"):
        await database_state(f"sqlite:///file:{tmp_path}/ro.db?mode=ro&uri=true")
    assert READ_ONLY.startswith("the database is read-only")


async def test_a_missing_folder_or_a_file_that_is_no_database(tmp_path: Path) -> None:
    with pytest.raises(DatabaseUnavailable, match="no folder"):
        await database_state(f"sqlite:///{tmp_path}/missing/x.db")
    (tmp_path / "junk.db").write_bytes(b"not a database at all, not even close" * 50)
    with pytest.raises(DatabaseUnavailable, match="cannot open the database: file is not"):
        await database_state(f"sqlite:///{tmp_path}/junk.db")


@pytest.mark.postgres
async def test_postgresql_reachable_and_unreachable() -> None:
    url = postgres_url()
    assert url is not None
    assert await database_state(url) in (None, head_revision())
    elsewhere = url.replace(":5432/", ":1/") if ":5432/" in url else url + "x"
    with pytest.raises(DatabaseUnavailable, match="cannot open the database"):
        await database_state(elsewhere)
