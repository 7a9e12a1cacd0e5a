"""Fixtures chain engine → unit-of-work factory → core, on a real SQLite file and (when enabled)
a real PostgreSQL server, each test in a schema of its own."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.services.context import Core
from bot.storage.engine import create_engine
from bot.storage.migrate import upgrade
from bot.storage.uow import UnitOfWorkFactory
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
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    if database_url.startswith("sqlite"):
        engine = create_engine(database_url)
        await upgrade(engine)
        yield engine
        await engine.dispose()
        return
    async for engine in _postgres_schema_engine(database_url):
        yield engine


async def _postgres_schema_engine(url: str) -> AsyncIterator[AsyncEngine]:
    """A fresh schema per test, dropped afterwards; CI fails loudly if the server is unreachable."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    async with admin.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(url, connect_args={"server_settings": {"search_path": schema}})
    try:
        await upgrade(engine)
        yield engine
    finally:
        await engine.dispose()
        async with admin.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


@pytest.fixture
def uow_factory(engine: AsyncEngine) -> UnitOfWorkFactory:
    return UnitOfWorkFactory(engine)


@pytest.fixture
def core(uow_factory: UnitOfWorkFactory, bank: Catalogue) -> Core:
    return Core(uow=uow_factory, bank=bank)


@pytest.fixture
def platform() -> RecordingPlatform:
    return RecordingPlatform()


@pytest.fixture
def monday_morning() -> datetime:
    """Mon 23 Nov 2026, 08:00 UTC: an hour before the default post time."""
    return datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
