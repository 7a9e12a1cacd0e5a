"""What Slack sends, good and bad: verification, retries, malformed payloads, every sub-command."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import Any

import pytest

from bot.core.services import answers as answer_service
from bot.scheduling import DrillScheduler
from bot.storage.tables import answers, members, slack_events
from tests.fakes.slack import (
    SlackPayload,
    block_actions,
    event_callback,
    message_event,
    slash_command,
    view_submission,
)
from tests.fakes.slack.requests import sign
from tests.platforms.slack_app.conftest import Driver
from tests.support.rows import count_rows


def _requests(driver: Driver) -> list[SlackPayload]:
    return [
        slash_command(
            text="admin channel", user_id=driver.users["alice"], channel_id=driver.channel
        ),
        event_callback(message_event("an answer", user=driver.users["bob"], thread_ts="1.000001")),
        block_actions("vote", "1", user_id=driver.users["bob"]),
    ]


@pytest.mark.parametrize(
    "signing",
    [{"signature": "wrong"}, {"signature": "missing"}, {"stale": True}],
    ids=["wrong-signature", "unsigned", "stale"],
)
async def test_unverifiable_requests_get_401_and_change_nothing(
    driver: Driver, database: Any, signing: dict[str, Any]
) -> None:
    for request in _requests(driver):
        assert (await driver.send(request, **signing))[0] == 401
    assert driver.fake.calls == [] and driver.fake.responses == []
    assert await count_rows(database, slack_events) == 0
    assert await count_rows(database, members) == 0


async def _drill_thread(driver: Driver) -> str:
    await driver.command("alice", "admin channel")
    await driver.advance(timedelta(hours=1))
    return driver.drills()[0].ts


async def test_a_retried_event_is_acknowledged_and_dropped(driver: Driver, database: Any) -> None:
    thread = await _drill_thread(driver)
    await driver.say("bob", "first delivery", thread, event_id="EvRETRY001")
    # Slack's retry of the same event (here even with another ts): acknowledged, not handled.
    await driver.say("bob", "retried delivery", thread, event_id="EvRETRY001", retry_num=1)
    assert await count_rows(database, answers) == 1
    assert len(driver.vote_buttons(thread)) == 1
    assert await count_rows(database, slack_events) == 1


async def test_a_failed_delivery_is_handled_on_slacks_retry(
    driver: Driver, database: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    thread = await _drill_thread(driver)
    real = answer_service.receive_message
    calls: list[int] = []

    async def flaky(*args: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database went away")
        return await real(*args)

    monkeypatch.setattr(answer_service, "receive_message", flaky)
    ts = await driver.say("bob", "an answer", thread, event_id="EvFLAKY001")
    assert await count_rows(database, slack_events) == 0  # the failed delivery released its claim
    await driver.say("bob", "an answer", thread, ts=ts, event_id="EvFLAKY001", retry_num=1)
    assert await count_rows(database, answers) == 1 and len(calls) == 2


async def test_malformed_payloads_are_acknowledged_and_ignored(driver: Driver) -> None:
    await driver.command("alice", "admin channel")
    weird: list[SlackPayload] = [
        event_callback({"type": "message", "text": "no channel", "ts": "1.000002"}),
        event_callback(message_event("no user", user="", thread_ts="1.000001")),
        event_callback({"type": "message", "subtype": "channel_join", "channel": driver.channel}),
        SlackPayload(
            "slash_commands", {"command": "/drill", "text": "streak", "team_id": "T0FAKETEAM"}
        ),
        block_actions(
            "vote",
            "not-a-number",
            user_id=driver.users["bob"],
            channel_id=driver.channel,
            response_url=driver.fake.new_response_url(),
        ),
        view_submission(
            "answer", "not-a-round", {"answer": {"text": "x"}}, user_id=driver.users["bob"]
        ),
    ]
    statuses = [(await driver.send(request))[0] for request in weird]
    assert statuses == [200] * len(weird)
    assert "out of date" in driver.ephemerals_to("bob")[-1]
    assert not driver.fake.errors


async def test_a_body_that_is_not_json_is_refused(driver: Driver) -> None:
    broken = SlackPayload("events_api", {"type": "event_callback"})
    request = broken.signed(driver.fake.signing_secret)

    body = "{not json"
    headers = dict(request.headers)
    headers["X-Slack-Signature"] = sign(
        body, driver.fake.signing_secret, int(headers["X-Slack-Request-Timestamp"])
    )
    async with driver.http.post(
        f"{driver.url}/slack/events", data=body, headers=headers
    ) as response:
        assert response.status >= 400
    assert driver.fake.calls == []


async def _private(driver: Driver, user: str, text: str, channel: str | None = None) -> str:
    reply = await driver.command(user, text, channel)
    assert reply is not None, f"/drill {text} posted publicly"
    assert reply.body["response_type"] == "ephemeral"
    return str(reply.body["text"])


async def test_commands_refuse_what_they_cannot_do(driver: Driver) -> None:
    assert "not a drill channel yet" in await _private(driver, "bob", "streak")
    assert (await _private(driver, "bob", "admin channel")).startswith("Only server admins")
    await driver.command("alice", "admin channel")
    assert "There is no drill kind 'frobnicate'" in await _private(driver, "bob", "frobnicate")
    assert "Unknown admin command 'frobnicate'" in await _private(
        driver, "alice", "admin frobnicate"
    )
    assert "Usage: vote N" in await _private(driver, "bob", "vote")
    assert "There is no answer 42" in await _private(driver, "bob", "vote 42")
    assert "Drillbot commands:" in await _private(driver, "bob", "help")
    ci = driver.fake.add_user("ci-bot", bot=True)
    driver.users["ci-bot"] = ci
    assert "does not take commands from bots" in await _private(driver, "ci-bot", "streak")


async def test_every_admin_sub_command(driver: Driver) -> None:
    lister = driver.fake.add_user("lister", user_id="U0LISTEDADM")  # in DRILLBOT_SLACK_ADMINS
    driver.users["lister"] = lister
    assert await driver.command("lister", "admin channel") is None
    public = [
        "admin days mon-fri",
        "admin kinds live-debugging,design-warmup",
        "admin window 90m",
        "admin weekly-day fri",
        "admin weekly-time 17:00",
        "admin pause",
        "admin resume",
        "admin skip",
    ]
    for text in public:
        assert await driver.command("alice", text) is None, text
    assert "Kinds: live-debugging, design-warmup" in await _private(driver, "alice", "admin show")
    posted = [m.text.split("\n")[0] for m in driver.fake.messages(driver.channel)]
    assert posted[1:] == [
        "Updated days.",
        "Updated kinds.",
        "Updated window.",
        "Updated weekly-day.",
        "Updated weekly-time.",
        "Paused: no drills until resumed.",
        "Resumed.",
        "The drill for Mon 23 Nov will be skipped.",
    ]
    await driver.advance(timedelta(days=1))  # Tue 08:00, before Tuesday's post
    assert "Posting today's drill now" in await _private(driver, "alice", "admin post-now")
    await driver.advance(timedelta(minutes=1))
    assert len(driver.drills()) == 1


async def test_users_info_failing_still_lets_members_act(driver: Driver) -> None:
    await driver.command("alice", "admin channel")
    driver.fake.fail_next("users.info", "missing_scope", needed="users:read")
    text = await _private(driver, "erin", "streak")
    assert text.startswith(f"{driver.users['erin']}: streak 0 days")


async def test_healthz_and_single_workspace_install_page(driver: Driver) -> None:
    async with driver.http.get(f"{driver.url}/healthz") as response:
        body = await response.json()
        assert (response.status, body["status"]) == (200, "ok")
        assert body["platforms"] == {"slack": {"state": "connected"}}
    async with driver.http.get(f"{driver.url}/slack/install") as response:
        assert response.status == 404 and "SLACK_BOT_TOKEN" in await response.text()


async def test_the_events_url_answers_slacks_verification_challenge(driver: Driver) -> None:
    challenge = SlackPayload("events_api", {"type": "url_verification", "challenge": "c0ffee"})
    status, body = await driver.send(challenge)
    assert (status, json.loads(body)) == (200, {"challenge": "c0ffee"})


async def test_post_now_is_posted_within_two_seconds_with_an_hourly_sweep(driver: Driver) -> None:
    platforms = {"slack": driver.runtime.platform}
    scheduler = DrillScheduler(driver.core, platforms, sweep_seconds=3600, clock=driver.clock)
    await scheduler.start()
    try:
        await driver.command("alice", "admin channel")
        assert "Posting today's drill now" in await _private(driver, "alice", "admin post-now")
        async with asyncio.timeout(2.0):  # the core's wake signal, not the hourly sweep
            while not driver.drills():
                await asyncio.sleep(0.02)
        assert "not posted twice" in await _private(driver, "alice", "admin post-now")
        await asyncio.sleep(0.2)
        assert len(driver.drills()) == 1
    finally:
        await scheduler.stop()


async def test_ask_answers_facts_privately(driver: Driver) -> None:
    await driver.command("alice", "admin channel")
    await driver.command("alice", "admin kinds design-warmup")
    await driver.advance(timedelta(hours=1))
    [post] = driver.drills()
    drill_id = await driver.core.db.run(lambda uow: uow.rounds.get(1).drill_id)  # type: ignore[union-attr]
    facts = driver.core.bank.drills[drill_id].facts
    menu = await _private(driver, "bob", "ask")
    assert all(f"{n}. {fact.ask}" in menu for n, fact in enumerate(facts, start=1))
    answer = await _private(driver, "bob", "ask 2")
    assert answer == f"Q2: {facts[1].ask}\nA: {facts[1].answer}".replace(">", "&gt;").replace(
        "<", "&lt;"
    )
    assert post.thread_ts is None and len(driver.drills()) == 1
