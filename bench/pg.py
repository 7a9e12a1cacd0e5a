"""A scratch PostgreSQL schema for a benchmark run, dropped afterwards."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text

from bot.storage.engine import create_engine


@asynccontextmanager
async def scratch_schema(url: str) -> AsyncIterator[dict[str, object]]:
    """Yields engine options that put every connection in a fresh schema."""
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url)
    async with admin.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield {"connect_args": {"server_settings": {"search_path": schema}}}
    finally:
        async with admin.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


@asynccontextmanager
async def kept_schema(url: str, schema: str) -> AsyncIterator[dict[str, object]]:
    """Like ``scratch_schema``, but the schema is named, created only if missing and kept, so a
    later run finds what an earlier one generated."""
    admin = create_engine(url)
    async with admin.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    await admin.dispose()
    yield {"connect_args": {"server_settings": {"search_path": schema}}}
