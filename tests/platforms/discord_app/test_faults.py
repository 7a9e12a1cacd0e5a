"""Nobody is left in silence: with the database write-locked by another process, or unreachable,
every interaction still gets a reply within Discord's 3 seconds (a defer, then the reply) and a
thread message that could not be recorded gets a word in the thread, not a crash."""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot.core.services.context import Core
from bot.platforms.discord_app.inbound import NOT_RECORDED
from bot.platforms.discord_app.replies import ANSWER_BUSY, BUSY, VOTE_BUSY
from bot.platforms.discord_app.runtime import DiscordRuntime
from bot.storage.engine import open_database
from tests.fakes.discord import FakeChannel, FakeInteraction
from tests.platforms.discord_app.checks import assert_clean
from tests.platforms.discord_app.helpers import Drive, answered, reply_of

NINE = timedelta(hours=1)
UNREACHABLE = "postgresql://drillbot@127.0.0.1:9/nowhere"


async def _round_with_a_ballot(drive: Drive, at: datetime) -> tuple[FakeChannel, dict[str, Any]]:
    await drive.admin("channel")
    await drive.sweep(at)
    post = (await drive.posts())["drill:1"]
    thread = drive.thread(post["thread_ref"])
    await drive.answer(thread, drive.hall.alice, "Roll back first, then look.")
    return thread, await drive.wait_ballot(thread, 1)


@contextmanager
def write_locked(drive: Drive) -> Iterator[None]:
    """Another process holds SQLite's write lock (every Drillbot transaction needs it)."""
    path = drive.core.db.engine.url.database
    assert path is not None
    blocker = sqlite3.connect(path, timeout=0)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        blocker.rollback()
        blocker.close()


async def _within_deadline(record: FakeInteraction) -> str:
    """The first response came within 3 s (the fake refuses later ones); the text shown."""
    await record.wait_for_response(3.0)
    await answered(record)
    assert record.ephemeral or record.response_type == 5
    return str(reply_of(record).get("content"))


async def _member_actions(drive: Drive, drill: dict[str, Any], ballot: dict[str, Any]) -> list[str]:
    hall, fake = drive.hall, drive.fake
    shown = []
    shown.append(
        await _within_deadline(await fake.click_button(ballot, "drillbot:vote:1", hall.bob))
    )
    opened = await drive.click(drill, "drillbot:answer:1", hall.carol)
    assert opened.modal is not None
    modal = await fake.submit_modal(opened.modal["custom_id"], hall.carol, {"answer": "Mine"})
    shown.append(await _within_deadline(modal))
    for name, sub in (("streak", None), ("leaderboard", None), ("drill-admin", "post-now")):
        who = hall.admin if sub else hall.bob
        record = await fake.invoke_slash(hall.guild, hall.channel, who, name, subcommand=sub)
        shown.append(await _within_deadline(record))
    return shown


async def _drill_post(drive: Drive) -> dict[str, Any]:
    return (await drive.posts())["drill:1"]


async def test_a_locked_database_still_answers_every_interaction(
    drive: Drive, monday_morning: datetime, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's write lock")
    await drive.start()
    thread, ballot = await _round_with_a_ballot(drive, monday_morning + NINE)
    drill = drive.fake.message((await _drill_post(drive))["message_ref"])
    await drive.core.db.run(lambda uow: uow.connection.exec_driver_sql("PRAGMA busy_timeout=2000"))
    with write_locked(drive), caplog.at_level(logging.WARNING):
        shown = await _member_actions(drive, drill, ballot)
        said = await drive.fake.member_says(thread, drive.hall.bob, "An answer while locked")
        await drive.fake.wait_until(lambda: _replied_to(drive, thread, said["id"]), 10.0)
    assert shown[:2] == [VOTE_BUSY, ANSWER_BUSY]
    assert all(_try_again(text) for text in shown[2:]), shown  # each command says what failed
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "Traceback" not in caplog.text
    assert_clean(drive.fake)


async def test_an_unreachable_database_still_answers_every_interaction(
    drive: Drive, monday_morning: datetime, caplog: pytest.LogCaptureFixture
) -> None:
    await drive.start()
    thread, ballot = await _round_with_a_ballot(drive, monday_morning + NINE)
    post = await _drill_post(drive)
    await drive.runtime.stop()
    gone = open_database(UNREACHABLE)
    try:
        core = Core(db=gone, bank=drive.core.bank)
        runtime = DiscordRuntime(
            core, drive.settings, clock=drive.clock, client_options={"guild_ready_timeout": 0.1}
        )
        drive.runtimes.append(runtime)
        with caplog.at_level(logging.WARNING):
            await runtime.start()
            shown = await _unreachable_actions(drive, ballot, post)
            said = await drive.fake.member_says(thread, drive.hall.bob, "Answer, DB gone")
            await drive.fake.wait_until(lambda: _replied_to(drive, thread, said["id"]), 10.0)
        await runtime.stop()
    finally:
        await gone.dispose()
    assert shown[0] == VOTE_BUSY and _try_again(shown[1]), shown
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def _unreachable_actions(
    drive: Drive, ballot: dict[str, Any], post: dict[str, Any]
) -> list[str]:
    hall, fake = drive.hall, drive.fake
    vote = await fake.click_button(ballot, "drillbot:vote:1", hall.bob)
    streak = await fake.invoke_slash(hall.guild, hall.channel, hall.carol, "streak")
    return [await _within_deadline(vote), await _within_deadline(streak)]


def _try_again(text: str) -> bool:
    """The core's own words for a command it could not carry out, or the adapter's fallback."""
    return text == BUSY or bool(re.fullmatch(r"Couldn't .+: please try again in a minute\.", text))


def _replied_to(drive: Drive, thread: FakeChannel, message_id: str) -> bool:
    return any(
        m["content"] == NOT_RECORDED
        and (m.get("message_reference") or {}).get("message_id") == message_id
        for m in drive.bot_messages(thread)
    )


async def test_nothing_was_lost_once_the_lock_is_gone(
    drive: Drive, monday_morning: datetime, database_url: str
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's write lock")
    await drive.start()
    _, ballot = await _round_with_a_ballot(drive, monday_morning + NINE)
    await drive.core.db.run(lambda uow: uow.connection.exec_driver_sql("PRAGMA busy_timeout=500"))
    with write_locked(drive):
        refused = await _within_deadline(
            await drive.fake.click_button(ballot, "drillbot:vote:1", drive.hall.bob)
        )
    assert refused == VOTE_BUSY
    await asyncio.sleep(0)
    again = await drive.click(ballot, "drillbot:vote:1", drive.hall.bob)
    assert "Vote recorded for Alice's answer (now 1)" in reply_of(again)["content"]
