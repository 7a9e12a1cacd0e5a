"""Fixtures chain database URL → migrated database (engine and unit of work) → core, on a real SQLite file and (when enabled)
a real PostgreSQL server, each test in a schema of its own."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from bot.core.services.context import Core
from bot.storage.engine import create_engine, open_database
from bot.storage.migrate import upgrade
from bot.storage.uow import Database
from drills import Catalogue, load_bank
from tests.recording_platform import RecordingPlatform

_LEFT_OUT = pytest.StashKey[int]()
CI_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
ENABLE_HINT = "PostgreSQL tests skipped: set DRILLBOT_TEST_POSTGRES_URL=postgresql://user@host/db (CI=true uses the local server) to run them"


def postgres_url() -> str | None:
    explicit = os.environ.get("DRILLBOT_TEST_POSTGRES_URL")
    if explicit:
        return explicit
    return CI_POSTGRES if os.environ.get("CI", "").lower() == "true" else None


def pytest_configure(config: pytest.Config) -> None:
    """The run's drill-bank cache (drills.bank_cache) lives in a folder of its own, inherited by
    every ``drillbot`` subprocess: it starts empty and leaves nothing in the user's cache."""
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="drillbot-test-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(os.environ["XDG_CACHE_HOME"], ignore_errors=True)


def pytest_report_header() -> str:
    url = postgres_url()
    return f"PostgreSQL tests: on ({url})" if url else ENABLE_HINT


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without a PostgreSQL URL, leave its cases out (one line in the summary says how to enable)."""
    if postgres_url():
        return
    left_out = [item for item in items if item.get_closest_marker("postgres")]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not item.get_closest_marker("postgres")]
        config.stash[_LEFT_OUT] = len(left_out)


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    if config.stash.get(_LEFT_OUT, 0):
        terminalreporter.write_line(f"{ENABLE_HINT} ({config.stash[_LEFT_OUT]} cases left out)")


@pytest.fixture(scope="session")
def bank() -> Catalogue:
    return load_bank()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db')}/drillbot.db"
        return
    url = postgres_url()
    assert url is not None, "postgres cases are deselected when no URL is set"
    yield url


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    """A migrated database: a fresh SQLite file, or a fresh PostgreSQL schema."""
    if database_url.startswith("sqlite"):
        database = open_database(database_url)
        await upgrade(database)
        yield database
        await database.dispose()
        return
    async with postgres_schema(database_url) as scoped:
        yield scoped


@asynccontextmanager
async def postgres_schema(url: str, **options: object) -> AsyncIterator[Database]:
    """A fresh schema, dropped afterwards; CI fails loudly if the server is unreachable."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    async with admin.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    database = open_database(
        url, connect_args={"server_settings": {"search_path": schema}}, **options
    )
    try:
        await upgrade(database)
        yield database
    finally:
        await database.dispose()
        async with admin.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


@pytest.fixture
def core(database: Database, bank: Catalogue) -> Core:
    return Core(db=database, bank=bank)


@pytest.fixture
def platform() -> RecordingPlatform:
    return RecordingPlatform()


@pytest.fixture
def monday_morning() -> datetime:
    """Mon 23 Nov 2026, 08:00 UTC: an hour before the default post time."""
    return datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
