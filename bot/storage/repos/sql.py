"""Small helpers the repositories share.

Hot statements are built once, with bind parameters, and reused: building a SQLAlchemy statement
and its cache key costs far more than running it against SQLite.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any, Protocol

from sqlalchemy import Connection, Table, TextClause, bindparam, insert, text
from sqlalchemy.dialects import postgresql

from bot.storage.repos.driver import Rows, on_driver

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
