"""What an outsider can send to HTTP mode: oversized, unsigned, wrongly typed or unparseable
requests get 413/401/400 before any work and without a traceback; a flood of them is logged as a
few summary lines; and nothing a request carries (body, response_url) or a secret reaches the log,
even at DEBUG."""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest

from bot.logs import setup_logging
from tests.fakes.slack import SlackPayload, block_actions, event_callback, message_event
from tests.fakes.slack.requests import sign
from tests.platforms.slack_app.conftest import Driver

MARKER = "OUTSIDER-BODY-7f3a"  # in every request body here; must never be logged


async def _post(driver: Driver, body: str | bytes, headers: dict[str, str]) -> int:
    async with driver.http.post(f"{driver.url}/slack/events", data=body, headers=headers) as reply:
        await reply.read()
        return reply.status


def _signed(driver: Driver, body: str | bytes, **headers: str) -> dict[str, str]:
    now = int(time.time())
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    signature = sign(text, driver.fake.signing_secret, now)
    if isinstance(body, bytes):  # sign the raw bytes, as Slack would
        import hashlib
        import hmac

        base = f"v0:{now}:".encode() + body
        digest = hmac.new(driver.fake.signing_secret.encode(), base, hashlib.sha256).hexdigest()
        signature = f"v0={digest}"
    found = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": str(now),
        "X-Slack-Signature": signature,
    }
    found.update(headers)
    return found


def bad_requests(driver: Driver) -> list[tuple[str, int, str | bytes, dict[str, str]]]:
    """(name, expected status, body, headers) for each way a request can be malformed."""
    form = f"command=/drill&text={MARKER}"
    big = "payload=" + "x" * 1_100_000
    return [
        ("oversized", 413, big, {"Content-Type": "application/x-www-form-urlencoded"}),
        ("oversized-signed", 413, big, _signed(driver, big)),
        ("unsigned", 401, form, {"X-Slack-Request-Timestamp": str(int(time.time()))}),
        ("no-timestamp", 401, form, {"X-Slack-Signature": "v0=00"}),
        (
            "word-timestamp",
            401,
            form,
            _signed(driver, form, **{"X-Slack-Request-Timestamp": "soon"}),
        ),
        (
            "wide-digits",
            401,
            form,
            _signed(driver, form, **{"X-Slack-Request-Timestamp": "１２３"}),
        ),
        (
            "huge-timestamp",
            401,
            form,
            _signed(driver, form, **{"X-Slack-Request-Timestamp": "9" * 40}),
        ),
        ("wrong-signature", 401, form, _signed(driver, form, **{"X-Slack-Signature": "v0=beef"})),
        (
            "not-utf8",
            400,
            b"payload=\xff\xfe" + MARKER.encode(),
            _signed(driver, b"payload=\xff\xfe" + MARKER.encode()),
        ),
        ("bad-payload-json", 400, f"payload=%7B{MARKER}", _signed(driver, f"payload=%7B{MARKER}")),
        ("payload-not-object", 400, "payload=%5B1%5D", _signed(driver, "payload=%5B1%5D")),
        (
            "json-not-object",
            400,
            f'["{MARKER}"]',
            _signed(driver, f'["{MARKER}"]', **{"Content-Type": "application/json"}),
        ),
        (
            "json-broken",
            400,
            '{"type": ' + MARKER,
            _signed(driver, '{"type": ' + MARKER, **{"Content-Type": "application/json"}),
        ),
    ]


@pytest.fixture
def errors(caplog: pytest.LogCaptureFixture) -> Iterator[list[logging.LogRecord]]:
    """Records at ERROR and any record with a traceback, from anywhere in the process."""
    caplog.set_level(logging.INFO)
    found: list[logging.LogRecord] = []
    yield found
    found.extend(r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info)


async def test_malformed_requests_get_4xx_before_any_work(
    driver: Driver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    for name, status, body, headers in bad_requests(driver):
        assert await _post(driver, body, headers) == status, name
    assert driver.fake.calls == [] and driver.fake.responses == []
    bad = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert bad == [] and MARKER not in caplog.text


async def test_a_flood_of_bad_requests_is_logged_in_a_few_lines(
    driver: Driver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    requests = bad_requests(driver)
    kinds = {"oversized", "unsigned", "bad timestamp", "bad signature", "unparseable"}
    for _ in range(30):
        for _name, status, body, headers in requests[2:]:  # the 1 MB bodies are covered above
            assert await _post(driver, body, headers) == status
    lines = [r for r in caplog.records if r.name == "bot.platforms.slack_app.http"]
    assert 0 < len(lines) <= len(kinds)  # one line per kind within 10 s, however many came
    assert len(caplog.text) < 2_000 and MARKER not in caplog.text


def test_the_throttle_counts_what_it_held_back(caplog: pytest.LogCaptureFixture) -> None:
    from bot.logs import Throttle

    now = [0.0]
    throttle = Throttle(logging.getLogger("test.throttle"), every=10.0, clock=lambda: now[0])
    with caplog.at_level(logging.WARNING, logger="test.throttle"):
        for step in range(25):
            now[0] = step
            throttle.warning("bad signature", "refused a request")
    assert [r.getMessage() for r in caplog.records] == [
        "refused a request",
        "refused a request (and 9 more in the last 10s)",
        "refused a request (and 9 more in the last 10s)",
    ]


@pytest.fixture
def debug_logging() -> Iterator[io.StringIO]:
    """The bot's own logging set up at DEBUG in text format, written to a buffer."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    chatty = {name: logging.getLogger(name).level for name in ("slack_bolt", "slack_sdk")}
    setup_logging("DEBUG", "text")
    buffer = io.StringIO()
    [handler] = root.handlers
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(buffer)
    yield buffer
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in saved[0]:
        root.addHandler(handler)
    root.setLevel(saved[1])
    for name, level in chatty.items():
        logging.getLogger(name).setLevel(level)


async def test_debug_logs_hold_no_secret_body_or_response_url(
    driver: Driver, debug_logging: io.StringIO
) -> None:
    urls = []
    for text in ("admin channel", "help", f"vote {MARKER}", "streak"):
        reply = await driver.command("alice", text)
        urls += [r.url for r in driver.fake.responses]
        del reply
    await driver.advance(timedelta(hours=1))
    [drill] = driver.drills()
    await driver.say("bob", f"my answer {MARKER}", drill.ts)
    await driver.click("carol", "vote", "1", driver.vote_buttons(drill.ts)[1])
    urls += [r.url for r in driver.fake.responses]
    for _name, _status, body, headers in bad_requests(driver)[2:]:
        await _post(driver, body, headers)
    await driver.send(event_callback(message_event(f"hello {MARKER}", user=driver.users["bob"])))
    await driver.send(block_actions("vote", MARKER, user_id=driver.users["dave"]))
    await driver.send(SlackPayload("events_api", {"type": "event_callback", "event": MARKER}))
    logged = debug_logging.getvalue()
    assert logging.getLogger("bot").isEnabledFor(logging.DEBUG) and "refused a request" in logged
    secrets = [driver.fake.bot_token, driver.fake.signing_secret, driver.fake.app_token]
    assert not [s for s in secrets if s in logged]
    assert urls and not [url for url in set(urls) if url in logged]
    assert "/response/" not in logged and MARKER not in logged
    assert "fake-verification-token" not in logged  # the token field every request body carries
    assert all(len(line) < 5_000 for line in logged.splitlines())
