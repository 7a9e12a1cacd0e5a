"""Apply Alembic migrations from code (``drillbot db upgrade`` and start-up)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import DBAPIError, OperationalError

from bot.storage.uow import Database


class DatabaseUnavailable(Exception):
    """The database cannot be opened or reached; the message says why and what to do."""


MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


async def upgrade(database: Database, revision: str = "head") -> None:
    """Bring the schema up to ``revision``; a database that cannot be reached says so plainly."""
    try:
        async with database.engine.begin() as connection:
            await connection.run_sync(_upgrade, revision)
    except (OperationalError, DBAPIError, OSError) as error:
        raise DatabaseUnavailable(f"cannot open the database: {_reason(error)}") from error


def _upgrade(connection: Any, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


async def current_revision(database: Database) -> str | None:
    async with database.engine.connect() as connection:
        return await connection.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_revision()
        )


READ_ONLY = (
    "the database is read-only ({reason}); Drillbot writes every answer and vote to it: "
    "check DATABASE_URL and that the database (the SQLite file and its folder) is writable"
)


async def check_writable(database: Database) -> None:
    """``DatabaseUnavailable`` when the database can be read but not written, found at start
    rather than by every member's first vote."""
    try:
        async with database.engine.connect() as connection:
            await connection.run_sync(_write_probe)
    except (OperationalError, DBAPIError) as error:
        raise DatabaseUnavailable(READ_ONLY.format(reason=_reason(error))) from error


def _write_probe(connection: Any) -> None:
    """A write that changes nothing, rolled back (SQLite); the session's flag (PostgreSQL)."""
    if connection.dialect.name == "sqlite":
        version = int(connection.exec_driver_sql("PRAGMA user_version").scalar() or 0)
        connection.exec_driver_sql(f"PRAGMA user_version = {version}")
    elif connection.exec_driver_sql("SHOW transaction_read_only").scalar() == "on":
        raise DatabaseUnavailable(READ_ONLY.format(reason="transaction_read_only is on"))
    connection.rollback()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _reason(error: BaseException) -> str:
    original = getattr(error, "orig", None) or error
    return str(original).splitlines()[0] if str(original) else type(original).__name__
