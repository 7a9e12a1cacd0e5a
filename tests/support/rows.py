"""Counting stored rows, for tests on every platform."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from bot.storage.uow import Database


async def count_rows(database: Database, table: Any, *where: Any) -> int:
    """How many rows of ``table`` match ``where``, read outside any unit of work."""
    async with database.engine.connect() as connection:
        query = select(func.count()).select_from(table).where(*where)
        return int((await connection.execute(query)).scalar_one())
