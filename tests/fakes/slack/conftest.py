"""Fixtures for the fake-Slack tests, plus a guard that no task or socket outlives a test."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakes.slack import FakeSlack


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
async def no_leaks() -> AsyncIterator[None]:
    """Fail a test that leaves tasks running or aiohttp sessions unclosed."""
    collector = _Collect()
    logging.getLogger("asyncio").addHandler(collector)
    before = asyncio.all_tasks()
    try:
        yield
        current = asyncio.current_task()
        pending: set[asyncio.Task[object]] = set()
        for _ in range(100):  # cancelled tasks need a few loop turns to finish
            pending = {t for t in asyncio.all_tasks() - before if t is not current and not t.done()}
            if not pending:
                break
            await asyncio.sleep(0.01)
        assert not pending, f"tasks left running: {pending}"
        gc.collect()
        leaks = [r.getMessage() for r in collector.records if "Unclosed" in r.getMessage()]
        assert not leaks, f"unclosed resources: {leaks}"
    finally:
        logging.getLogger("asyncio").removeHandler(collector)


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as running:
        yield running
        assert not running.errors, "\n".join(running.errors)


@pytest.fixture
def client(fake: FakeSlack) -> AsyncWebClient:
    """The real slack-sdk client, pointed at the fake (no retry handlers beyond the default)."""
    return AsyncWebClient(token=fake.bot_token, base_url=fake.base_url)
