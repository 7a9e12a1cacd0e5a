"""Posting through ``SlackPlatform``: Slack's errors become ``SendFailed`` and the round's claim
survives to be retried; posts are paced per channel and never repeated for one key."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.core.cards import Notice
from bot.core.ports import SendFailed
from bot.platforms.slack_app import blocks, pacing
from bot.platforms.slack_app.failures import from_api_error
from bot.platforms.slack_app.pacing import MAX_RETRY_AFTER, retry_after
from bot.storage.repos.posts import PostJob
from tests.platforms.slack_app.conftest import Driver


async def _drill_post(driver: Driver) -> PostJob:
    job = await driver.core.db.run(lambda uow: uow.posts.get("drill:1"))
    assert job is not None
    return job


async def test_a_public_channel_is_joined_once_to_post(driver: Driver) -> None:
    lobby = driver.fake.add_channel("lobby", bot_member=False)
    assert await driver.command("alice", "admin channel", channel=lobby) is None  # joined to reply
    await driver.advance(timedelta(hours=1))
    assert len(driver.fake.calls_to("conversations.join")) == 1
    assert [m.blocks[0]["type"] for m in driver.fake.messages(lobby)] == ["section", "header"]


async def test_not_in_a_private_channel_keeps_the_claim_until_invited(driver: Driver) -> None:
    secret = driver.fake.add_channel("secret", bot_member=False, private=True)
    reply = await driver.command("alice", "admin channel", channel=secret)
    assert reply is not None and "Invite @Drillbot to #secret" in reply.body["text"]
    await driver.advance(timedelta(hours=1))
    job = await _drill_post(driver)
    assert (job.status, job.last_error) == (
        "pending",
        "not_in_channel. Invite @Drillbot to #secret.",
    )
    driver.fake.channels[secret].bot_member = True  # an admin invites the bot
    await driver.advance(timedelta(minutes=30))  # a problem only an admin can fix: 30 min first
    assert (await _drill_post(driver)).status == "sent"
    # The public reply to "admin channel" went through the outbox too, and out once invited.
    texts = [m.text.split("\n")[0] for m in driver.fake.messages(secret)]
    assert len(driver.drills()) == 0 and texts[0] == "This channel is now a drill channel."
    assert len(texts) == 2


async def test_a_missing_scope_is_retried_and_names_the_scope(driver: Driver) -> None:
    await driver.command("alice", "admin channel")
    driver.fake.fail_next("chat.postMessage", "missing_scope", needed="chat:write")
    await driver.advance(timedelta(hours=1))
    job = await _drill_post(driver)
    assert job.status == "pending"
    assert (
        job.last_error
        == "missing_scope. Add the chat:write scope to the Slack app and reinstall it."
    )
    await driver.advance(timedelta(minutes=30))
    assert (await _drill_post(driver)).status == "sent" and len(driver.drills()) == 1


@pytest.mark.parametrize("error", ["channel_not_found", "is_archived"])
async def test_a_gone_channel_is_retried_with_a_long_backoff(driver: Driver, error: str) -> None:
    await driver.command("alice", "admin channel")
    driver.fake.fail_next("chat.postMessage", error)
    await driver.advance(timedelta(hours=1))
    job = await _drill_post(driver)
    assert (
        job.status == "pending" and job.last_error is not None and job.last_error.startswith(error)
    )
    assert job.next_attempt_at == driver.clock.now + timedelta(minutes=30)  # 09:00 + 30 min
    await driver.advance(timedelta(minutes=30))  # an admin fixed it meanwhile
    assert (await _drill_post(driver)).status == "sent"


async def test_a_server_error_is_retried_after_looking_for_the_post(driver: Driver) -> None:
    # A 5xx may come after Slack posted: the retry (15 s later, by the core, not the SDK at once)
    # first looks for the post by its key, then posts it.
    await driver.command("alice", "admin channel")
    driver.fake.fail_next("chat.postMessage", "internal_error", status=500)
    await driver.advance(timedelta(hours=1, minutes=1))
    assert [c.status for c in driver.fake.calls_to("chat.postMessage")][-2:] == [500, 200]
    assert len(driver.fake.calls_to("conversations.history")) == 1
    assert len(driver.drills()) == 1 and (await _drill_post(driver)).status == "sent"


def _slack_error(status: int, body: dict[str, object], headers: dict[str, str]) -> SlackApiError:
    response = AsyncSlackResponse(
        client=None,
        http_verb="POST",
        api_url="https://slack.test/api/chat.postMessage",
        req_args={},
        data=body,
        headers=headers,
        status_code=status,
    )
    return SlackApiError("failed", response)


def test_a_rate_limit_left_after_the_sdk_retries_carries_retry_after() -> None:
    failure = from_api_error(
        _slack_error(429, {"ok": False, "error": "ratelimited"}, {"retry-after": "30"}), "C1"
    )
    assert (failure.retry_after, failure.permanent) == (30.0, False)
    unknown = from_api_error(_slack_error(200, {"ok": False, "error": "something_new"}, {}), "C1")
    assert (unknown.reason, unknown.permanent) == ("something_new", False)
    outage = from_api_error(
        _slack_error(503, {"ok": False, "error": "service_unavailable"}, {}), "C1"
    )
    assert (outage.reason, outage.permanent) == (
        "Slack answered HTTP 503 (service_unavailable)",
        False,
    )


async def test_posts_are_paced_per_channel_and_never_repeated(driver: Driver) -> None:
    driver.fake.rate_limit_per_channel(per_second=4.0)
    platform = driver.runtime.platform
    platform.pacer.interval = 0.25
    started = time.monotonic()
    for number in range(4):
        await platform.deliver(driver.channel, None, Notice(f"post {number}"), f"key-{number}")
    again = await platform.deliver(driver.channel, None, Notice("post 0"), "key-0")
    assert time.monotonic() - started >= 0.7
    assert driver.fake.rate_limited_count == 0
    assert len(driver.fake.messages(driver.channel)) == 4
    assert again.message_ref.endswith(driver.fake.messages(driver.channel)[0].ts)


async def test_an_unknown_channel_is_a_problem_for_admins(driver: Driver) -> None:
    with pytest.raises(SendFailed) as failed:
        await driver.runtime.platform.deliver("C0NOWHERE", None, Notice("hello"), "k")
    assert failed.value.problem == "channel_not_found" and not failed.value.permanent
    assert failed.value.reason == "channel_not_found"
    assert blocks.render(Notice("hello")).text == "hello"


async def test_the_pacer_forgets_idle_lanes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pacing, "MAX_LANES", 2)
    pacer = pacing.ChannelPacer(interval=0.0)
    for lane in ("a", "b", "c", "d"):
        async with pacer.turn(lane):
            pass
    assert len(pacer._locks) <= 3


async def test_web_api_calls_share_one_http_session(driver: Driver) -> None:
    """A new session per call would open a connection per call: keep-alive means few ports."""
    await driver.command("alice", "admin channel")
    for _ in range(3):
        await driver.advance(timedelta(days=1))
    calls = [c for c in driver.fake.calls if c.client_port is not None]
    assert len(calls) >= 6
    assert len({c.client_port for c in calls}) <= 2  # the SDK's and Bolt's clients, one session
    assert driver.runtime.app.client.session is not None


async def test_replies_to_response_urls_share_the_http_session(driver: Driver) -> None:
    """Bolt's ``respond`` opens a session (a connection) per reply; the shared one keeps one."""
    await driver.command("alice", "admin channel")
    replies = [await driver.command("bob", "streak") for _ in range(3)]
    ports = {reply.client_port for reply in replies if reply is not None}
    assert len(replies) == 3 and len(ports) == 1 and None not in ports


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("30", 30.0),
        ("0.5", 0.5),
        ("-4", 0.0),
        ("soon", 1.0),
        ("inf", 1.0),
        ("nan", 1.0),
        ("86400", MAX_RETRY_AFTER),
    ],
)
def test_a_retry_after_is_a_bounded_number_of_seconds(header: str, seconds: float) -> None:
    response = HttpResponse(status_code=429, headers={"Retry-After": [header]})
    assert retry_after(response) == seconds


def test_a_429_without_retry_after_waits_one_second() -> None:
    assert retry_after(HttpResponse(status_code=429, headers={})) == 1.0
