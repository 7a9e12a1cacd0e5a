"""Slack exactly-once: a post Slack carried out but answered after the client's timeout is found
again by the key in its metadata and adopted, never posted twice, and the answers already given
in its thread are kept (the round binds to the adopted message)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import aiohttp
import pytest

from bot.core.services.context import Core
from bot.storage.tables import answers
from bot.storage.uow import Database
from tests.fakes.slack import FakeSlack
from tests.platforms.slack_app.conftest import Clock, Driver, running_driver
from tests.support.rows import count_rows

TIMEOUT = 1  # seconds the platform's client waits for an answer
LATE = 2.0  # seconds the fake takes to answer a call it already carried out


@pytest.fixture
async def impatient(
    core: Core, database: Database, fake: FakeSlack, clock: Clock, http: aiohttp.ClientSession
) -> AsyncIterator[Driver]:
    async with running_driver(core, database, fake, clock, http, timeout=TIMEOUT) as driver:
        yield driver


def _drill_calls(driver: Driver) -> list[Any]:
    return [
        call
        for call in driver.fake.calls_to("chat.postMessage")
        if str(call.params.get("metadata", {}).get("event_payload", {}).get("key", "")).startswith(
            "drill:"
        )
    ]


async def test_every_post_carries_its_key_in_message_metadata(driver: Driver) -> None:
    await driver.command("alice", "admin channel")
    await driver.advance(timedelta(hours=1))
    notice, drill = driver.fake.messages(driver.channel)
    assert drill.metadata == {"event_type": "drillbot_post", "event_payload": {"key": "drill:1"}}
    assert notice.metadata is not None and notice.metadata["event_payload"]["key"].startswith(
        "notice:1:"
    )
    await driver.say("bob", "an answer", drill.ts)
    [ballot] = driver.vote_buttons(drill.ts).values()
    assert ballot.metadata == {"event_type": "drillbot_post", "event_payload": {"key": "ballot:1"}}


async def test_a_post_answered_after_the_timeout_is_posted_once(
    impatient: Driver, database: Database
) -> None:
    driver = impatient
    await driver.command("alice", "admin channel")
    driver.fake.answer_late("chat.postMessage", LATE)
    await driver.advance(timedelta(hours=1))  # 09:00: posted, but the client timed out
    [drill] = driver.drills()
    job = await driver.core.db.run(lambda uow: uow.posts.get("drill:1"))
    assert job is not None and job.status == "pending" and job.outcome_unknown
    # Members answer in the thread the round does not know yet: one event arrives (and finds no
    # round), one is never delivered at all.
    bob = driver.fake.add_message(
        driver.channel, "Bob: roll back first.", user=driver.users["bob"], thread_ts=drill.ts
    )
    await driver.say("bob", "Bob: roll back first.", drill.ts, ts=bob)
    driver.fake.add_message(
        driver.channel, "Carol: check the queue.", user=driver.users["carol"], thread_ts=drill.ts
    )
    assert await count_rows(database, answers) == 0
    await asyncio.sleep(LATE)  # the late answer is given (to nobody)
    await driver.advance(timedelta(minutes=1))  # the retry looks first, finds it, adopts it
    assert driver.drills() == [drill] and len(_drill_calls(driver)) == 1
    history = driver.fake.calls_to("conversations.history")
    assert history and history[-1].params["include_all_metadata"] in ("1", "true", True)
    round_ = await driver.core.db.run(lambda uow: uow.rounds.get(1))
    assert round_ is not None and round_.message_ref == f"{driver.channel}:{drill.ts}"
    assert round_.thread_ref == f"{driver.channel}:{drill.ts}"
    assert await count_rows(database, answers) == 2  # both answers in the first thread kept
    assert sorted(driver.vote_buttons(drill.ts)) == [1, 2]
    # Later answers in the same thread count as usual, and votes work on the kept ones.
    await driver.say("dave", "Dave: page the owner.", drill.ts)
    await driver.click("erin", "vote", "1", driver.vote_buttons(drill.ts)[1])
    assert driver.ephemerals_to("erin")[-1] == "Vote recorded for bob's answer (now 1)."
    assert await count_rows(database, answers) == 3


async def test_a_post_that_never_went_out_is_posted_after_looking(impatient: Driver) -> None:
    driver = impatient
    await driver.command("alice", "admin channel")
    driver.fake.fail_next("chat.postMessage", "internal_error", status=503)
    await driver.advance(timedelta(hours=1, minutes=1))
    assert len(driver.drills()) == 1 and len(driver.fake.calls_to("conversations.history")) == 1
    job = await driver.core.db.run(lambda uow: uow.posts.get("drill:1"))
    assert job is not None and job.status == "sent" and not job.outcome_unknown
