"""With the database locked (another connection holds SQLite's write lock, or PostgreSQL's tables
locked past ``lock_timeout``) or unreachable, every member action on Slack is acknowledged at once
and answered ("Couldn't record your vote: please try again in a minute."), never met with
silence."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.core.services.context import Core
from bot.storage.engine import open_database
from bot.storage.uow import Database
from drills import Catalogue
from tests.fakes.slack import FakeSlack, SlackPayload, block_actions, slash_command
from tests.platforms.slack_app.conftest import Clock, Driver, running_driver

ACK_SECONDS = 3.0  # Slack's deadline for the HTTP answer
REPLY_SECONDS = 10.0  # the reply follows: the database waits 5 s for a lock before giving up
VOTE = "Couldn't record your vote: please try again in a minute."


@asynccontextmanager
async def locked(database_url: str, database: Database) -> AsyncIterator[None]:
    """Another connection holding the SQLite file's write lock, or every table PostgreSQL has."""
    if not database_url.startswith("sqlite"):
        async with database.engine.connect() as blocker:
            await blocker.begin()
            tables = "channels, members, rounds, answers, votes, posts, handled_requests"
            await blocker.execute(text(f"LOCK TABLE {tables} IN ACCESS EXCLUSIVE MODE"))
            yield
            await blocker.rollback()
        return
    path = make_url(database_url).database
    assert path is not None
    blocker = sqlite3.connect(Path(path), timeout=0)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        blocker.rollback()
        blocker.close()


async def _timed(driver: Driver, request: SlackPayload) -> tuple[int, float, float]:
    """Status, seconds to the HTTP answer, seconds until the listener finished."""
    signed = request.signed(driver.fake.signing_secret)
    started = time.monotonic()
    async with driver.http.post(
        f"{driver.url}/slack/events", data=signed.body, headers=signed.headers
    ) as response:
        status = response.status
    acked = time.monotonic() - started
    await driver.runtime.services.idle(grace=REPLY_SECONDS)  # never cut a listener short here
    return status, acked, time.monotonic() - started


async def _command(driver: Driver, user: str, text: str) -> str:
    before = len(driver.fake.responses)
    request = slash_command(
        text=text,
        user_id=driver.users[user],
        channel_id=driver.channel,
        response_url=driver.fake.new_response_url(),
    )
    status, acked, replied = await _timed(driver, request)
    assert status == 200 and acked < ACK_SECONDS and replied < REPLY_SECONDS
    [reply] = driver.fake.responses[before:]
    assert reply.body["response_type"] == "ephemeral"
    return str(reply.body["text"])


async def _click_vote(driver: Driver, user: str, answer_id: int) -> str:
    before = len(driver.fake.ephemerals) + len(driver.fake.responses)
    click = block_actions(
        "vote",
        str(answer_id),
        user_id=driver.users[user],
        channel_id=driver.channel,
        response_url=driver.fake.new_response_url(),
    )
    status, acked, replied = await _timed(driver, click)
    assert status == 200 and acked < ACK_SECONDS and replied < REPLY_SECONDS
    assert len(driver.fake.ephemerals) + len(driver.fake.responses) == before + 1
    return driver.ephemerals_to(user)[-1]


async def test_a_locked_database_still_answers_every_member(
    driver: Driver, database_url: str, database: Database
) -> None:
    await driver.command("alice", "admin channel")
    await driver.advance(timedelta(hours=1))
    [drill] = driver.drills()
    await driver.say("bob", "Roll back first.", drill.ts)
    async with locked(database_url, database):
        assert await _click_vote(driver, "carol", 1) == VOTE
        assert await _command(driver, "carol", "vote 1") == VOTE
        streak = await _command(driver, "carol", "streak")
        assert streak == "Couldn't read your streak: please try again in a minute."
        post_now = await _command(driver, "alice", "admin post-now")
        assert post_now == "Couldn't queue today's drill: please try again in a minute."
    # The lock is gone: the same actions work, and nothing was half-recorded meanwhile.
    assert await _click_vote(driver, "carol", 1) == "Vote recorded for bob's answer (now 1)."


@pytest.fixture
async def unreachable(
    bank: Catalogue, fake: FakeSlack, clock: Clock, http: aiohttp.ClientSession
) -> AsyncIterator[Driver]:
    """A runtime whose database URL points at a port where no server listens."""
    database = open_database("postgresql://drillbot@127.0.0.1:9/nowhere")
    core = Core(db=database, bank=bank)
    try:
        async with running_driver(core, database, fake, clock, http) as driver:
            yield driver
    finally:
        await database.dispose()


async def test_an_unreachable_database_still_answers_every_member(unreachable: Driver) -> None:
    driver = unreachable
    assert await _click_vote(driver, "carol", 1) == VOTE
    assert await _command(driver, "carol", "vote 1") == VOTE
    streak = await _command(driver, "carol", "streak")
    assert streak == "Couldn't read your streak: please try again in a minute."
    post_now = await _command(driver, "alice", "admin post-now")
    assert post_now == "Couldn't queue today's drill: please try again in a minute."
