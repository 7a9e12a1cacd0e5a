"""Small helpers the repositories share.

Hot statements are built once, with bind parameters, and reused: building a SQLAlchemy statement
and its cache key costs far more than running it against SQLite.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Connection, Table, insert
from sqlalchemy.dialects import postgresql


@cache
def _insert_ignoring(table: Table, dialect: str) -> Any:
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    # SQLAlchemy cannot cache SQLite's ON CONFLICT clause and recompiles it on every call;
    # INSERT OR IGNORE means the same for our unique keys and is compiled once.
    return insert(table).prefix_with("OR IGNORE")


def insert_ignoring_conflicts(connection: Connection, table: Table) -> Any:
    """An INSERT that skips rows clashing with a unique key."""
    return _insert_ignoring(table, connection.dialect.name)


@cache
def _upsert(table: Table, dialect: str, keys: tuple[str, ...], updated: tuple[str, ...]) -> Any:
    if dialect != "postgresql":
        # Every column is written, so replacing the row is the same as updating it (and cacheable).
        return insert(table).prefix_with("OR REPLACE")
    statement = postgresql.insert(table)
    return statement.on_conflict_do_update(
        index_elements=list(keys), set_={name: statement.excluded[name] for name in updated}
    )


def upsert(
    connection: Connection, table: Table, keys: Sequence[str], updated: Sequence[str]
) -> Any:
    """Insert a row, or overwrite the ``updated`` columns of the row with the same ``keys``."""
    return _upsert(table, connection.dialect.name, tuple(keys), tuple(updated))
