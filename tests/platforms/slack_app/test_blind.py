"""Blind drills on Slack end to end: the real bolt app over HTTP with signed requests, the fake
Slack, the test database and a simulated clock driving the sweep.

alice turns blind mode on with a 6 h review window; Monday's 09:00 drill says it is blind and
when its answers are revealed. bob's thread reply is not taken (he is told privately how to
answer); bob answers with the Answer button and its modal, carol with ``/drill answer``. Nothing
shows until Tuesday 09:00, when one notice and one ballot per answer (its text, Vote, Review)
go out exactly once; votes and reviews then count until the results at 15:00.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import aiohttp
import pytest

from bot.core.services.context import Core
from bot.core.services.sweep import run_due_work
from bot.storage.tables import answers
from bot.storage.uow import Database
from tests.fakes.slack import FakeSlack, Message, block_actions, view_submission
from tests.platforms.slack_app.conftest import (
    Clock,
    Driver,
    ballot_buttons,
    running_driver,
)
from tests.support.rows import count_rows

BOB = "Pause the job <!everyone> & ping <@U123> first, then refund the duplicates per customer."
CAROL = "Add an idempotency key per customer and billing period."
CAROL_MORE = "Then backfill the keys and tell support what to say."
ANSWER_WINDOW = timedelta(hours=24)
REVIEW_WINDOW = timedelta(hours=6)
TIMEOUT = 1  # seconds the impatient client waits for an answer
LATE = 2.0  # seconds the fake takes to answer a call it already carried out


@pytest.fixture
async def impatient(
    core: Core, database: Database, fake: FakeSlack, clock: Clock, http: aiohttp.ClientSession
) -> AsyncIterator[Driver]:
    async with running_driver(core, database, fake, clock, http, timeout=TIMEOUT) as driver:
        yield driver


async def _blind_drill(driver: Driver) -> Message:
    for text in ("admin channel", "admin blind on", "admin review-window 6h"):
        assert await driver.command("alice", text) is None  # public replies in the channel
    await driver.advance(timedelta(hours=1))  # Mon 09:00 UTC: the daily drill
    [drill] = driver.drills()
    return drill


def _shown(message: Message) -> str:
    """Every text of a message's blocks (sections and context lines), one per line."""
    texts = []
    for block in message.blocks or []:
        if block["type"] == "section":
            texts.append(block["text"]["text"])
        for element in block.get("elements", []) if block["type"] == "context" else []:
            texts.append(element["text"])
    return "\n".join(texts)


async def _click_answer(driver: Driver, user: str, drill: Message) -> dict[str, Any] | None:
    """``user`` clicks the drill post's Answer button; the modal it opened, or None."""
    [button] = ballot_buttons(drill)
    assert (button["action_id"], button["text"]["text"]) == ("answer", "Answer")
    opened = len(driver.fake.opened_views)
    await driver.click(user, "answer", button["value"], drill)
    return driver.fake.opened_views[-1] if len(driver.fake.opened_views) > opened else None


async def _submit_answer(
    driver: Driver, user: str, modal: dict[str, Any], text: str
) -> dict[str, Any]:
    submission = view_submission(
        "answer",
        modal["private_metadata"],
        {"answer": {"text": text}},
        user_id=driver.users[user],
        view_id=modal["id"],
    )
    status, body = await driver.send(submission)
    assert status == 200
    return dict(json.loads(body))


def _modal_text(response: dict[str, Any]) -> str:
    assert response["response_action"] == "update"
    return str(response["view"]["blocks"][0]["text"]["text"])


async def _private_answers(driver: Driver, drill: Message) -> None:
    await driver.say("bob", "Pause the job first.", drill.ts)
    assert driver.ephemerals_to("bob")[-1].startswith("This drill is blind: answers in the thread")
    assert await count_rows(driver.core.db, answers) == 0
    modal = await _click_answer(driver, "bob", drill)
    assert modal is not None and modal["callback_id"] == "answer"
    assert modal["blocks"][-1]["type"] == "input"
    receipt = _modal_text(await _submit_answer(driver, "bob", modal, BOB))
    assert receipt.startswith("Recorded privately as answer #1; nobody sees it")
    short = await driver.command("carol", f"answer {CAROL}")
    assert short is not None and short.body["response_type"] == "ephemeral"
    assert short.body["text"].startswith("Recorded privately as answer #2, but answers under 80")
    assert "add more with the answer command" in short.body["text"]
    more = await driver.command("carol", f"answer {CAROL_MORE}")
    assert more is not None and more.body["text"].startswith("Added to your private answer #2.")
    assert await count_rows(driver.core.db, answers) == 2
    assert driver.vote_buttons(drill.ts) == {} and driver.vote_buttons(drill.ts, "review") == {}


async def _early_votes_refused(driver: Driver, drill: Message) -> None:
    vote = await driver.command("dave", "vote 1")
    review = await driver.command("dave", "review 2 1 senior")
    for refused in (vote, review):
        assert refused is not None and "blind" in refused.body["text"]
    for action in ("vote", "review"):  # a forged (or remembered) button is refused the same way
        before = len(driver.ephemerals_to("dave"))
        click = block_actions(
            action,
            "1",
            user_id=driver.users["dave"],
            channel_id=driver.channel,
            message={"thread_ts": drill.ts},
        )
        assert (await driver.send(click))[0] == 200
        [told] = driver.ephemerals_to("dave")[before:]
        assert "blind" in told
    assert not driver.fake.opened_views or driver.fake.opened_views[-1]["callback_id"] == "answer"


def _reveal_notices(driver: Driver) -> list[Message]:
    return [m for m in driver.fake.messages(driver.channel) if "revealed in its thread" in m.text]


def _check_ballots(driver: Driver, drill: Message) -> dict[int, Message]:
    ballots = driver.vote_buttons(drill.ts)
    assert sorted(ballots) == [1, 2]
    assert sorted(driver.vote_buttons(drill.ts, "review")) == [1, 2]
    bob = _shown(ballots[1])
    assert "@\u200beveryone &amp; ping &lt;@U123&gt; first" in bob  # escaped: pings nobody
    assert "<!everyone>" not in bob and "<@U123>" not in bob and "& ping" not in bob
    assert "<!" not in ballots[1].text and "<@" not in ballots[1].text
    assert f"{CAROL}\n{CAROL_MORE}" in _shown(ballots[2])  # both parts, as sent
    assert [b["text"]["text"] for b in ballot_buttons(ballots[2])] == ["Vote", "Review"]
    return ballots


async def _after_the_reveal(driver: Driver, drill: Message, ballots: dict[int, Message]) -> None:
    await driver.say("erin", "Roll back the deploy, then look.", drill.ts)
    assert driver.ephemerals_to("erin")[-1].startswith("Recorded as late answer #3")
    assert sorted(driver.vote_buttons(drill.ts)) == [1, 2]  # a late answer gets no ballot
    await driver.click("dave", "vote", "1", ballots[1])
    assert driver.ephemerals_to("dave")[-1] == "Vote recorded for bob's answer (now 1)."
    await driver.click("carol", "vote", "1", ballots[1])
    review = await driver.command("dave", "review 2 1 senior")
    assert review is not None and review.body["text"].startswith("Saved your review of answer 2")


async def test_a_blind_drill_on_slack(driver: Driver) -> None:
    drill = await _blind_drill(driver)
    shown = _shown(drill)
    assert "Blind drill: answer privately" in shown and "Answer button" in shown
    assert "before Tue 24 Nov 09:00 (UTC)" in shown and "until Tue 24 Nov 15:00 (UTC)" in shown
    await _private_answers(driver, drill)
    await _early_votes_refused(driver, drill)

    await driver.advance(ANSWER_WINDOW - timedelta(minutes=1))
    assert driver.vote_buttons(drill.ts) == {} and _reveal_notices(driver) == []
    await driver.advance(timedelta(minutes=1))  # Tue 09:00: the reveal
    [notice] = _reveal_notices(driver)
    assert notice.thread_ts is None and "2 answers are revealed" in notice.text
    ballots = _check_ballots(driver, drill)
    await _after_the_reveal(driver, drill, ballots)

    await driver.advance(REVIEW_WINDOW)  # Tue 15:00: the results
    results = driver.fake.thread(driver.channel, drill.ts)[-1]
    assert results.blocks[0]["text"]["text"].startswith("Results: ")
    text = _shown(results)
    assert "*What reviewers saw*" in text and "1. *bob* (answer #1, 2 votes)" in text
    assert len(_reveal_notices(driver)) == 1 and sorted(driver.vote_buttons(drill.ts)) == [1, 2]


async def _two_private_answers(driver: Driver) -> Message:
    drill = await _blind_drill(driver)
    for user, text in (("bob", BOB), ("carol", f"{CAROL} {CAROL_MORE}")):
        reply = await driver.command(user, f"answer {text}")
        assert reply is not None and "Recorded privately" in reply.body["text"]
    return drill


def _ballot_calls(driver: Driver) -> list[str]:
    """The keys of every ballot ``chat.postMessage`` call (made, whatever came back)."""
    keys = [
        str(call.params.get("metadata", {}).get("event_payload", {}).get("key", ""))
        for call in driver.fake.calls_to("chat.postMessage")
    ]
    return [key for key in keys if key.startswith("ballot:")]


async def test_sweeps_run_twice_at_the_reveal_post_each_ballot_once(driver: Driver) -> None:
    drill = await _two_private_answers(driver)
    await driver.advance(ANSWER_WINDOW - timedelta(minutes=1))
    driver.clock.now += timedelta(minutes=1)
    platforms = {"slack": driver.runtime.platform}
    sweeps = (run_due_work(driver.core, platforms, driver.clock.now) for _ in range(2))
    await asyncio.gather(*sweeps)
    await run_due_work(driver.core, platforms, driver.clock.now)  # and once more, later
    await driver.advance(timedelta(minutes=5))
    assert sorted(driver.vote_buttons(drill.ts)) == [1, 2]
    assert len(driver.fake.thread(driver.channel, drill.ts)) == 2
    assert sorted(_ballot_calls(driver)) == ["ballot:1", "ballot:2"]
    assert len(_reveal_notices(driver)) == 1


async def test_a_ballot_answered_after_the_timeout_is_adopted_not_posted_again(
    impatient: Driver,
) -> None:
    driver = impatient
    drill = await _two_private_answers(driver)
    await driver.advance(ANSWER_WINDOW - timedelta(minutes=1))
    driver.fake.answer_late("chat.postMessage", LATE, count=10)  # every post of the reveal
    await driver.advance(timedelta(minutes=1))  # posted, but the client timed out each time
    assert sorted(driver.vote_buttons(drill.ts)) == [1, 2]
    job = await driver.core.db.run(lambda uow: uow.posts.get("ballot:1"))
    assert job is not None and job.outcome_unknown
    driver.fake.answer_on_time()
    await asyncio.sleep(LATE)  # the late answers are given (to nobody)
    await driver.advance(timedelta(minutes=10))  # the retries look first, find them, adopt them
    assert sorted(driver.vote_buttons(drill.ts)) == [1, 2]
    assert len(driver.fake.thread(driver.channel, drill.ts)) == 2
    assert sorted(_ballot_calls(driver)) == ["ballot:1", "ballot:2"]
    assert len(_reveal_notices(driver)) == 1
    await driver.click("dave", "vote", "2", driver.vote_buttons(drill.ts)[2])
    assert driver.ephemerals_to("dave")[-1] == "Vote recorded for carol's answer (now 1)."
