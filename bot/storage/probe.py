"""``drillbot check``'s look at a database with the bare driver: reachable, writable, which schema.

SQLAlchemy takes a third of a second to import, the whole of what ``check`` may spend, so the URL
is read here the way SQLAlchemy reads it for Drillbot's two drivers (sqlite3 and asyncpg). The
one form this does not cover, PostgreSQL hosts given in the query string, is left to the engine
(``covers`` says so). The bot itself always goes through the engine.
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote


class DatabaseUnavailable(Exception):
    """The database cannot be opened or reached; the message says why and what to do."""


MIGRATIONS = Path(__file__).resolve().parent / "migrations"
READ_ONLY = (
    "the database is read-only ({reason}); Drillbot writes every answer and vote to it: "
    "check DATABASE_URL and that the database (the SQLite file and its folder) is writable"
)
BUSY_SECONDS = 5.0  # as the engine waits for a locked SQLite file or a PostgreSQL connection
# SQLAlchemy's own pattern (sqlalchemy.engine.url._parse_url), so both split a URL alike.
_URL = re.compile(
    r"""(?P<name>[\w\+]+)://
    (?:(?P<username>[^:/]*)(?::(?P<password>[^@]*))?@)?
    (?:(?:\[(?P<ipv6host>[^/\?]+)\]|(?P<ipv4host>[^/:\?]+))?(?::(?P<port>[^/\?]*))?)?
    (?:/(?P<database>[^\?]*))?
    (?:\?(?P<query>.*))?""",
    re.X,
)
# Query options pysqlite takes itself; with uri=true the others go on to SQLite in the file URI.
_SQLITE_DRIVER_OPTIONS = frozenset(
    {"uri", "timeout", "isolation_level", "detect_types", "check_same_thread", "cached_statements"}
)
_ASYNCPG_DIALECT_OPTIONS = ("prepared_statement_cache_size", "prepared_statement_name_func")
_TRUE = ("true", "yes", "on", "y", "t", "1")


@dataclass(frozen=True)
class Parts:
    backend: str  # "sqlite" or "postgresql"
    username: str | None
    password: str | None
    host: str | None
    port: str | None
    database: str | None
    query: dict[str, str | list[str]]


def split_url(url: str) -> Parts:
    found = _URL.match(url.strip())
    if found is None:
        raise DatabaseUnavailable("cannot open the database: DATABASE_URL is not a URL")
    part = found.groupdict()
    query: dict[str, str | list[str]] = {}
    for key, value in parse_qsl(part["query"] or ""):
        earlier = query.get(key)
        query[key] = value if earlier is None else [*_as_list(earlier), value]
    backend = part["name"].split("+")[0].lower()
    return Parts(
        "postgresql" if backend == "postgres" else backend,
        unquote(part["username"]) if part["username"] is not None else None,
        unquote(part["password"]) if part["password"] is not None else None,
        part["ipv4host"] or part["ipv6host"],
        part["port"] or None,
        part["database"],
        query,
    )


def _as_list(value: str | list[str]) -> list[str]:
    return value if isinstance(value, list) else [value]


def covers(url: str) -> bool:
    """Whether ``database_state`` reads this URL exactly as the engine would."""
    parts = split_url(url)
    return parts.backend == "sqlite" or not {"host", "port"} & set(parts.query)


async def database_state(url: str) -> str | None:
    """The schema's revision (None: empty); ``DatabaseUnavailable`` if unreachable or read-only."""
    parts = split_url(url)
    if parts.backend == "sqlite":
        return _sqlite_state(parts)
    return await _postgres_state(parts)


def sqlite_target(parts: Parts) -> tuple[str, bool]:
    """The file name and URI flag sqlite3 is given (as SQLAlchemy's pysqlite dialect gives them)."""
    if parts.username or parts.password or parts.host or parts.port:
        raise DatabaseUnavailable("cannot open the database: a SQLite URL has no user or host")
    if str(parts.query.get("uri", "")).lower() not in _TRUE:
        name = parts.database or ":memory:"
        return (name if name == ":memory:" else os.path.abspath(name)), False
    extra = {k: v for k, v in parts.query.items() if k not in _SQLITE_DRIVER_OPTIONS}
    query = "&".join(f"{key}={extra[key]}" for key in sorted(extra))
    return (parts.database or "") + (f"?{query}" if query else ""), True


def check_sqlite_folder(database: str | None) -> None:
    """Refuse a SQLite file whose folder does not exist (SQLite would say only "unable to open")."""
    if not database or database == ":memory:":
        return
    if database.startswith("file:"):  # a URI filename (``?mode=ro&uri=true``)
        database = database.removeprefix("file:").split("?", 1)[0]
    folder = Path(database).expanduser().resolve().parent
    if not folder.is_dir():
        raise DatabaseUnavailable(f"cannot create the SQLite file {database}: no folder {folder}")


def _sqlite_state(parts: Parts) -> str | None:
    check_sqlite_folder(parts.database)
    name, uri = sqlite_target(parts)
    try:
        connection = sqlite3.connect(name, timeout=BUSY_SECONDS, isolation_level=None, uri=uri)
    except sqlite3.Error as error:
        raise DatabaseUnavailable(f"cannot open the database: {error}") from error
    try:
        revision = _sqlite_revision(connection)
        _sqlite_write_probe(connection)
        return revision
    finally:
        connection.close()


def _sqlite_revision(connection: sqlite3.Connection) -> str | None:
    table = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    try:
        if not connection.execute(table).fetchall():
            return None
        rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error as error:
        raise DatabaseUnavailable(f"cannot open the database: {error}") from error
    return str(rows[0][0]) if len(rows) == 1 else None


def _sqlite_write_probe(connection: sqlite3.Connection) -> None:
    """A write that changes nothing, rolled back: refused by a read-only file or folder."""
    try:
        connection.execute("BEGIN IMMEDIATE")
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
        connection.execute(f"PRAGMA user_version = {version}")
        connection.execute("ROLLBACK")
    except sqlite3.Error as error:
        raise DatabaseUnavailable(READ_ONLY.format(reason=error)) from error


def postgres_options(parts: Parts) -> dict[str, Any]:
    """asyncpg's keywords, as SQLAlchemy's asyncpg dialect builds them from the URL."""
    options: dict[str, Any] = {
        "host": parts.host,
        "database": parts.database,
        "user": parts.username,
        "password": parts.password,
        "port": int(parts.port) if parts.port else None,
    }
    options = {key: value for key, value in options.items() if value}
    options.update((k, v) for k, v in parts.query.items() if k not in _ASYNCPG_DIALECT_OPTIONS)
    options.setdefault("timeout", BUSY_SECONDS)
    return options


async def _postgres_state(parts: Parts) -> str | None:
    import asyncpg

    try:
        connection = await asyncpg.connect(**postgres_options(parts))
        try:
            revision, read_only = await _postgres_facts(connection)
        finally:
            await connection.close()
    except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
        raise DatabaseUnavailable(f"cannot open the database: {_first_line(error)}") from error
    if read_only == "on":
        raise DatabaseUnavailable(READ_ONLY.format(reason="transaction_read_only is on"))
    return revision


async def _postgres_facts(connection: Any) -> tuple[str | None, str]:
    """The schema's revision (in the connection's search path) and ``transaction_read_only``."""
    read_only = str(await connection.fetchval("SHOW transaction_read_only"))
    if not await connection.fetchval("SELECT to_regclass('alembic_version') IS NOT NULL"):
        return None, read_only
    rows = await connection.fetch("SELECT version_num FROM alembic_version")
    return (str(rows[0][0]) if len(rows) == 1 else None), read_only


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


_REVISION = re.compile(r'^(down_revision|revision)\s*=\s*"?([0-9A-Za-z_]+|None)"?', re.MULTILINE)


@cache
def head_revision() -> str | None:
    """The newest migration: the one no other migration revises (the chain is linear)."""
    revisions, parents = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found = {key: value for key, value in _REVISION.findall(path.read_text("utf-8"))}
        if "revision" in found:
            revisions.add(found["revision"])
            parents.add(found.get("down_revision"))
    heads = sorted(revisions - parents)
    return heads[0] if len(heads) == 1 else None
