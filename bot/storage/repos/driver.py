"""Hot statements straight on the driver's DB-API cursor, on SQLite and on PostgreSQL.

SQLAlchemy's execution machinery (cache key, execution context, result object) costs several
times what a short statement takes SQLite, and about what a round trip to PostgreSQL takes. The
few statements of a member's answer or vote run here instead. Each is compiled once by SQLAlchemy
for the dialect; its parameters go through the same bind processors and its rows through the
same result processors; a driver error becomes SQLAlchemy's own exception, and a lost connection
is invalidated as SQLAlchemy would. Callers see no difference but the time.
"""

from __future__ import annotations

import sqlite3
from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Connection, Dialect, exc
from sqlalchemy.util import is_exit_exception

Processor = Callable[[Any], Any]
Rows = Mapping[str, Any] | Sequence[Mapping[str, Any]]
_GIVEN = object()  # a parameter the caller passes (the others carry their own value: a LIMIT)


class Cursor(Protocol):
    """What both drivers' cursors offer."""

    @property
    def rowcount(self) -> int: ...

    @property
    def description(self) -> Any: ...

    def fetchall(self) -> Sequence[Sequence[Any]]: ...

    def execute(self, sql: str, values: Sequence[Any], /) -> Any: ...

    def executemany(self, sql: str, values: Sequence[Sequence[Any]], /) -> Any: ...


@dataclass(eq=False)
class _Form:
    """A statement as its driver takes it: SQL, and each parameter in order with its bind
    processor and, for one the statement carries itself, its value."""

    sql: str
    parameters: tuple[tuple[str, Processor | None, Any], ...]
    result_types: tuple[Any, ...]  # the type of each column it returns, when SQLAlchemy knows
    # How its rows are made: the row type and each column's result processor (set when it
    # first returns rows: the driver's description of them is needed).
    shape: tuple[Callable[[Sequence[Any]], Any], tuple[Processor | None, ...]] | None = None


# Keyed by the dialect's kind, not the dialect: every engine has a dialect of its own, and a
# cache holding them would keep each engine's alive.
_FORMS: dict[tuple[Any, tuple[str, ...], str, str], _Form] = {}


def _form(statement: Any, keys: tuple[str, ...], dialect: Dialect) -> _Form:
    found = _FORMS.get((statement, keys, dialect.name, dialect.driver))
    if found is None:
        found = _FORMS[statement, keys, dialect.name, dialect.driver] = _compiled(
            statement, keys, dialect
        )
    return found


def _compiled(statement: Any, keys: tuple[str, ...], dialect: Dialect) -> _Form:
    compiled = statement.compile(dialect=dialect, column_keys=list(keys))
    parameters = []
    for name in compiled.positiontup or ():
        bind = compiled.binds[name]
        processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
        own = _GIVEN if name in keys or bind.required else bind.effective_value
        parameters.append((name, processor, own))
    types = tuple(column[3] for column in compiled._result_columns)
    return _Form(str(compiled), tuple(parameters), types)


def sqlite_driver(connection: Connection) -> sqlite3.Connection:
    """The sqlite3 connection under SQLAlchemy's, for statements SQLAlchemy need not know of."""
    driver = connection.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    return driver


def on_driver(connection: Connection, statement: Any, rows: Rows) -> Cursor:
    """Run ``statement`` for one row of parameters (a mapping) or many (a sequence of them).
    Read what it returns with ``fetchall`` (SQLite finishes an ``INSERT ... RETURNING`` only
    once its rows are all read), or use ``fetch_on_driver``."""
    return _run(connection, statement, rows)[1]


def _run(connection: Connection, statement: Any, rows: Rows) -> tuple[_Form, Cursor]:
    many = not isinstance(rows, Mapping)
    listed: Sequence[Mapping[str, Any]] = rows if many else [rows]  # type: ignore[list-item,assignment]
    form = _form(statement, tuple(listed[0]), connection.dialect)
    values = [_values(form, row) for row in listed]
    cursor = _cursor(connection)
    try:
        if many:
            cursor.executemany(form.sql, values)
        else:
            cursor.execute(form.sql, values[0])
    except connection.dialect.loaded_dbapi.Error as error:
        raise _as_sqlalchemy(connection, form.sql, values, error) from error
    except BaseException as error:
        # Cancelled or timed out mid-statement: the connection's state is unknown, so it is
        # thrown away (SQLAlchemy does the same).
        if is_exit_exception(error) and not connection.invalidated:
            connection.invalidate(error)
        raise
    return form, cursor


def _values(form: _Form, row: Mapping[str, Any]) -> list[Any]:
    values = []
    for name, processor, own in form.parameters:
        value = row[name] if own is _GIVEN else own
        values.append(value if processor is None else processor(value))
    return values


def _cursor(connection: Connection) -> Cursor:
    if connection.dialect.name == "sqlite":
        return sqlite_driver(connection).cursor()
    # PostgreSQL: the asyncpg adapter's DB-API cursor, which starts the connection's transaction
    # when one is open and keeps prepared statements across transactions.
    cursor: Cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    return cursor


def _as_sqlalchemy(
    connection: Connection, sql: str, values: list[list[Any]], error: Any
) -> exc.StatementError:
    """The exception SQLAlchemy would raise; a lost connection is invalidated, as it would be."""
    dialect = connection.dialect
    lost = dialect.is_disconnect(error, connection.connection.dbapi_connection, None)
    wrapped: exc.StatementError = exc.DBAPIError.instance(
        sql,
        values,
        error,
        dialect.loaded_dbapi.Error,
        connection_invalidated=lost,
        dialect=dialect,
    )
    if lost and not connection.invalidated:
        connection.invalidate(wrapped)
    return wrapped


def fetch_on_driver(
    connection: Connection, statement: Any, parameters: Mapping[str, Any]
) -> list[Any]:
    """The rows ``statement`` returns, each a named tuple (``row.id``), its values converted as
    SQLAlchemy would convert them."""
    form, cursor = _run(connection, statement, parameters)
    rows = cursor.fetchall()
    if cursor.description is None:
        return []
    if form.shape is None:
        form.shape = _shape(form, cursor.description, connection.dialect)
    make, processors = form.shape
    if not any(processors):
        return [make(row) for row in rows]
    return [
        make([value if p is None else p(value) for value, p in zip(row, processors, strict=True)])
        for row in rows
    ]


def _shape(
    form: _Form, description: Sequence[Sequence[Any]], dialect: Dialect
) -> tuple[Callable[[Sequence[Any]], Any], tuple[Processor | None, ...]]:
    names = [column[0] for column in description]
    row_type = namedtuple("DriverRow", names, rename=True)  # type: ignore[misc]
    types = form.result_types if len(form.result_types) == len(names) else (None,) * len(names)
    processors = tuple(
        None if type_ is None else type_._cached_result_processor(dialect, column[1])
        for type_, column in zip(types, description, strict=True)
    )
    return row_type._make, processors
