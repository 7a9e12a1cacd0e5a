"""Apply Alembic migrations from code (``drillbot db upgrade`` and start-up)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError, OperationalError

from bot.storage.probe import MIGRATIONS, READ_ONLY, DatabaseUnavailable, head_revision
from bot.storage.uow import Database

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported only to migrate: reading where a schema stands needs no more than SQL and
# the migration files (``drillbot check`` reads it with the bare driver: ``bot.storage.probe``).
__all__ = [
    "DatabaseUnavailable",
    "alembic_config",
    "check_writable",
    "current_revision",
    "head_revision",
    "upgrade",
]


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


async def upgrade(database: Database, revision: str = "head") -> None:
    """Bring the schema up to ``revision``; a database that cannot be reached says so plainly.

    A schema already at the newest migration is left as it is without importing Alembic: that is
    every start but the first after an upgrade, and Alembic costs a tenth of a second or more.
    """
    try:
        if revision == "head" and await current_revision(database) == head_revision():
            return
        async with database.engine.begin() as connection:
            await connection.run_sync(_upgrade, revision)
    except (OperationalError, DBAPIError, OSError) as error:
        raise DatabaseUnavailable(f"cannot open the database: {_reason(error)}") from error


def _upgrade(connection: Any, revision: str) -> None:
    from alembic import command

    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


async def current_revision(database: Database) -> str | None:
    """The schema's revision, as Alembic's ``alembic_version`` table records it (None: empty)."""
    async with database.engine.connect() as connection:
        return await connection.run_sync(_stamped)


def _stamped(connection: Any) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    found = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return str(found[0]) if len(found) == 1 else None


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


def _reason(error: BaseException) -> str:
    original = getattr(error, "orig", None) or error
    return str(original).splitlines()[0] if str(original) else type(original).__name__
