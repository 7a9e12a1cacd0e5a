"""Small helpers the repositories share.

Hot statements are built once, with bind parameters, and reused: building a SQLAlchemy statement
and its cache key costs far more than running it against SQLite.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from typing import Any, Protocol

from sqlalchemy import Connection, Dialect, Table, TextClause, bindparam, exc, insert, text
from sqlalchemy.dialects import postgresql

# PostgreSQL's statements rendered with ``:name`` parameters, so they can become ``text()``.
_NAMED = postgresql.dialect(paramstyle="named")  # type: ignore[no-untyped-call]


@cache
def _insert_ignoring(table: Table, dialect: str) -> Any:
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    # SQLAlchemy cannot cache SQLite's ON CONFLICT clause and recompiles it on every call;
    # INSERT OR IGNORE means the same for our unique keys and is compiled once.
    return insert(table).prefix_with("OR IGNORE")


def insert_ignoring_conflicts(connection: Connection, table: Table) -> Any:
    """An INSERT that skips rows clashing with a unique key (for the rarer, non-hot writes)."""
    return _insert_ignoring(table, connection.dialect.name)


class Counted(Protocol):
    @property
    def rowcount(self) -> int: ...


class Returned(Counted, Protocol):
    def fetchall(self) -> Sequence[Sequence[Any]]: ...


Rows = Mapping[str, Any] | Sequence[Mapping[str, Any]]


def execute_ignoring_conflicts(connection: Connection, table: Table, rows: Rows) -> Counted:
    """Insert ``rows`` (one or many, with the same columns), skipping those clashing with a
    unique key; ``rowcount`` says how many went in."""
    columns = tuple(rows if isinstance(rows, Mapping) else rows[0])
    if connection.dialect.name != "postgresql":
        return on_driver(connection, _insert_ignoring(table, "sqlite"), rows)
    return connection.execute(_frozen_insert(table, columns, None), rows)


def execute_upsert(
    connection: Connection, table: Table, keys: Sequence[str], row: Mapping[str, Any]
) -> None:
    """Insert ``row``, or overwrite every other given column of the row with the same ``keys``."""
    if connection.dialect.name != "postgresql":
        # Every column is written, so replacing the row is the same as updating it.
        on_driver(connection, _replace(table), row)
        return
    connection.execute(_frozen_insert(table, tuple(row), tuple(keys)), row)


@cache
def _replace(table: Table) -> Any:
    return insert(table).prefix_with("OR REPLACE")


@cache
def _frozen_insert(
    table: Table, columns: tuple[str, ...], conflict_keys: tuple[str, ...] | None
) -> TextClause:
    """PostgreSQL's ``INSERT ... ON CONFLICT`` compiled once, as text with typed parameters.

    SQLAlchemy gives PostgreSQL's ON CONFLICT statements no cache key, so they would be compiled
    again on every execution (about a third of a millisecond each, on every vote and answer).
    """
    statement = postgresql.insert(table).values({name: bindparam(name) for name in columns})
    if conflict_keys is None:
        statement = statement.on_conflict_do_nothing()
    else:
        updated = {n: statement.excluded[n] for n in columns if n not in conflict_keys}
        statement = statement.on_conflict_do_update(index_elements=conflict_keys, set_=updated)
    typed = (bindparam(name, type_=table.c[name].type) for name in columns)
    return text(str(statement.compile(dialect=_NAMED))).bindparams(*typed)


def typed_text(sql: str, table_columns: Iterable[Any]) -> TextClause:
    """Hand-written SQL whose parameters are named after ``table_columns`` and typed like them."""
    return text(sql).bindparams(*(bindparam(c.name, type_=c.type) for c in table_columns))


def execute_hot(connection: Connection, statement: Any, rows: Rows) -> Returned:
    """A statement on a member action's path: on SQLite straight on the driver (``on_driver``),
    elsewhere through SQLAlchemy. Fetch what it returns with ``fetchall``: SQLite finishes an
    ``INSERT ... RETURNING`` only once its rows are all read."""
    if connection.dialect.name == "sqlite":
        return on_driver(connection, statement, rows)
    return connection.execute(statement, rows)


def sqlite_driver(connection: Connection) -> sqlite3.Connection:
    """The sqlite3 connection under SQLAlchemy's, for statements SQLAlchemy need not know of."""
    driver = connection.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    return driver


def on_driver(connection: Connection, statement: Any, rows: Rows) -> sqlite3.Cursor:
    """SQLite: run a hot write straight on the driver's cursor. SQLAlchemy's execution machinery
    (cache key, context, result) costs several times what SQLite takes for a short INSERT; the
    statement is compiled once, and its parameters go through the same bind processors. A driver
    error becomes SQLAlchemy's own exception, so callers see no difference."""
    many = not isinstance(rows, Mapping)
    listed: Sequence[Mapping[str, Any]] = rows if many else [rows]  # type: ignore[list-item,assignment]
    sql, order = _driver_form(statement, tuple(listed[0]), connection.dialect)
    values = [
        [row[name] if bind is None else bind(row[name]) for name, bind in order] for row in listed
    ]
    try:
        driver = sqlite_driver(connection)
        return driver.executemany(sql, values) if many else driver.execute(sql, values[0])
    except sqlite3.Error as error:
        raise exc.DBAPIError.instance(sql, values, error, sqlite3.Error) from error


@cache
def _driver_form(
    statement: Any, keys: tuple[str, ...], dialect: Dialect
) -> tuple[str, tuple[tuple[str, Callable[[Any], Any] | None], ...]]:
    """``statement`` compiled for these parameter names: its SQL and, in order, each
    parameter's name and bind processor."""
    compiled = statement.compile(dialect=dialect, column_keys=list(keys))
    names = compiled.positiontup or ()
    binds = (
        compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
    )
    return str(compiled), tuple(zip(names, binds, strict=True))
