"""Open the database named by ``DATABASE_URL``: a SQLite file (the default) or PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.storage.migrate import DatabaseUnavailable
from bot.storage.probe import check_sqlite_folder
from bot.storage.sqlite_writer import SqliteWriter
from bot.storage.uow import BEGIN_IMMEDIATE, Database

__all__ = ["DatabaseUnavailable", "create_engine", "is_sqlite", "normalize_url", "open_database"]
SQLITE_BUSY_TIMEOUT_MS = 5_000
# PostgreSQL waits as long as SQLite does for a lock, and no longer for a connection, so a member's
# action meets "please try again" in seconds instead of waiting for ever.
POSTGRES_LOCK_TIMEOUT_MS = 5_000
POSTGRES_CONNECT_SECONDS = 5.0


def normalize_url(url: str) -> str:
    """Accept the URL forms hosting platforms hand out and pick the async driver for each."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    parsed = make_url(url)
    driver = {"postgresql": "postgresql+asyncpg", "sqlite": "sqlite+aiosqlite"}
    if parsed.drivername in driver:
        parsed = parsed.set(drivername=driver[parsed.drivername])
    return parsed.render_as_string(hide_password=False)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def open_database(url: str, **options: Any) -> Database:
    """A ``Database`` for ``url``; SQLite work runs on a tuned sync engine in one thread."""
    url = normalize_url(url)
    if not is_sqlite(url):
        # No pre-ping: ``Database.run`` retries work whose pooled connection had gone stale.
        return Database(create_async_engine(url, **_with_timeouts(options)))
    _check_sqlite_path(url)
    sync_url = make_url(url).set(drivername="sqlite+pysqlite")
    sync_engine = create_sync_engine(sync_url, pool_reset_on_return=None, **options)
    # ``Database`` sends BEGIN IMMEDIATE itself: a "begin" listener would make SQLAlchemy run its
    # event hooks around every statement on this, the hottest engine.
    _tune_sqlite(sync_engine, begin_listener=False)
    async_engine = create_async_engine(url, **options)
    _tune_sqlite(async_engine.sync_engine)
    return Database(async_engine, SqliteWriter(sync_engine))


def _with_timeouts(options: dict[str, Any]) -> dict[str, Any]:
    """asyncpg's connect timeout and the server's ``lock_timeout``, unless given."""
    connect_args = dict(options.get("connect_args") or {})
    connect_args.setdefault("timeout", POSTGRES_CONNECT_SECONDS)
    server = dict(connect_args.get("server_settings") or {})
    server.setdefault("lock_timeout", str(POSTGRES_LOCK_TIMEOUT_MS))
    connect_args["server_settings"] = server
    return {**options, "connect_args": connect_args}


def create_engine(url: str, **options: Any) -> AsyncEngine:
    """An async engine alone, for libraries that want one (a SQLite one is tuned the same way)."""
    url = normalize_url(url)
    if is_sqlite(url):
        _check_sqlite_path(url)
        engine = create_async_engine(url, **options)
        _tune_sqlite(engine.sync_engine)
        return engine
    return create_async_engine(url, pool_pre_ping=True, **options)


def _check_sqlite_path(url: str) -> None:
    check_sqlite_folder(make_url(url).database)


def _tune_sqlite(engine: Engine, *, begin_listener: bool = True) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take over transaction control so writers can BEGIN IMMEDIATE: a deferred transaction
        # that reads and then writes can fail with "database is locked" despite the busy timeout.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    if begin_listener:

        @event.listens_for(engine, "begin")
        def _on_begin(connection: Any) -> None:
            connection.exec_driver_sql(BEGIN_IMMEDIATE)
