"""Logging: token-shaped strings are redacted and JSON lines carry the round context."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterator

import pytest

from bot.logs import JsonFormatter, RedactingFilter, redact, setup_logging

SLACK_BOT = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx"
SLACK_USER = "xoxp-1234567890-0987654321-1122334455-abcdef0123456789"
SLACK_APP = "xapp-1-A0123456789-1234567890123-abcdef0123456789abcdef"
HMAC = "Zk3x_9aB-QwErTyUiOpAsDfGhJkLzXc"  # 31 characters


def discord_token(user_id: int, timestamp: str = "GaBcDe") -> str:
    """A token as Discord builds it: base64(user id) . timestamp . HMAC."""
    head = base64.b64encode(str(user_id).encode()).decode().rstrip("=")
    return f"{head}.{timestamp}.{HMAC}"


DISCORD_M = discord_token(1234567890123456789)  # 19-digit id -> "MTIz..."
DISCORD_N = discord_token(512345678901234567)  # 18-digit id starting 5-7 -> "NTEy..."
DISCORD_O = discord_token(987654321098765432)  # 18-digit id starting 8-9 -> "OTg3..."


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    alembic = logging.getLogger("alembic")
    saved = (list(root.handlers), root.level, alembic.level)
    yield
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in saved[0]:
        root.addHandler(handler)
    root.setLevel(saved[1])
    alembic.setLevel(saved[2])


# --- redact -------------------------------------------------------------------------------------


@pytest.mark.parametrize("token", [SLACK_BOT, SLACK_USER, SLACK_APP, DISCORD_M, DISCORD_N])
def test_redact_hides_tokens(token: str) -> None:
    text = f"auth failed for token={token} (retrying)"
    assert redact(text) == "auth failed for token=[redacted] (retrying)"


def test_sample_discord_tokens_have_the_real_shape() -> None:
    head, timestamp, hmac = DISCORD_M.split(".")
    assert (head[:4], len(head), len(timestamp), len(hmac)) == ("MTIz", 26, 6, 31)
    assert DISCORD_N.startswith("NTEy")
    assert len(DISCORD_N.split(".")[0]) == 24


def test_redact_hides_every_token_in_a_line() -> None:
    text = f"{SLACK_BOT} and {SLACK_APP}; discord {DISCORD_M}"
    assert redact(text) == "[redacted] and [redacted]; discord [redacted]"


def test_redact_hides_a_bearer_header() -> None:
    assert redact(f"Authorization: Bearer {SLACK_BOT}") == "Authorization: Bearer [redacted]"
    assert redact(f"Authorization: Bot {DISCORD_M}") == "Authorization: Bot [redacted]"


@pytest.mark.parametrize(
    "text",
    [
        "posted round 42 in channel C0123456789",
        "xoxo from the team",
        "version 1.2.3 of NTEyMzQ1",
        "user <@123456789012345678> answered",
        "https://discord.com/api/v10/channels/123/messages",
    ],
)
def test_redact_leaves_ordinary_text(text: str) -> None:
    assert redact(text) == text


def test_redact_hides_discord_tokens_starting_with_o() -> None:
    assert DISCORD_O.startswith("OTg3")
    assert redact(f"token={DISCORD_O}") == "token=[redacted]"


# --- filter and formatters ----------------------------------------------------------------------


def make_record(msg: str, *args: object, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("bot.test", logging.INFO, __file__, 1, msg, args, None)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_redacting_filter_redacts_arguments_too() -> None:
    record = make_record("connecting with %s to %s", SLACK_BOT, "slack")
    assert RedactingFilter().filter(record) is True
    assert record.getMessage() == "connecting with [redacted] to slack"
    assert record.args is None


def test_json_formatter_fields() -> None:
    record = make_record("opened round %d", 7, round_id=7, channel_id=3, platform="slack")
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "opened round 7"
    assert entry["level"] == "INFO"
    assert entry["logger"] == "bot.test"
    assert (entry["round_id"], entry["channel_id"], entry["platform"]) == (7, 3, "slack")
    assert "post" not in entry
    assert "error" not in entry


def test_json_lines_from_setup_logging(
    restore_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    setup_logging("INFO", "json")
    log = logging.getLogger("bot.rounds")
    log.info("posted with %s", SLACK_BOT, extra={"round_id": 12, "channel_id": 4})
    log.debug("not shown at INFO")
    try:
        raise RuntimeError(f"Slack said invalid_auth for {SLACK_APP}")
    except RuntimeError:
        log.exception("delivery failed", extra={"round_id": 13, "channel_id": 4, "post": "p-1"})
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["message"] == "posted with [redacted]"
    assert (first["round_id"], first["channel_id"]) == (12, 4)
    assert first["logger"] == "bot.rounds"
    assert second["level"] == "ERROR"
    assert (second["round_id"], second["channel_id"], second["post"]) == (13, 4, "p-1")
    assert "RuntimeError: Slack said invalid_auth for [redacted]" in second["error"]
    for line in lines:
        assert SLACK_BOT not in line
        assert SLACK_APP not in line


def test_text_lines_from_setup_logging(
    restore_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    setup_logging("WARNING", "text")
    log = logging.getLogger("bot.discord")
    log.info("hidden below WARNING")
    log.warning("gateway closed for %s", DISCORD_M)
    [line] = capsys.readouterr().err.splitlines()
    assert line.endswith("WARNING bot.discord: gateway closed for [redacted]")
    assert DISCORD_M not in line


def test_text_format_redacts_tracebacks(
    restore_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    setup_logging("INFO", "text")
    try:
        raise RuntimeError(f"invalid_auth for {SLACK_BOT}")
    except RuntimeError:
        logging.getLogger("bot.slack").exception("send failed")
    err = capsys.readouterr().err
    assert "send failed" in err
    assert SLACK_BOT not in err


@pytest.mark.parametrize(("level", "alembic"), [("DEBUG", "WARNING"), ("ERROR", "ERROR")])
def test_alembic_is_quiet(restore_logging: None, level: str, alembic: str) -> None:
    setup_logging(level, "text")
    assert logging.getLogger().level == logging.getLevelName(level)
    assert logging.getLogger("alembic").level == logging.getLevelName(alembic)


async def test_post_log_lines_carry_round_and_channel_ids(core, monday_morning, caplog):
    from datetime import timedelta

    from bot.logs import JsonFormatter
    from tests.core.services.helpers import register, tick
    from tests.recording_platform import RecordingPlatform

    await register(core, monday_morning)
    with caplog.at_level(logging.INFO, logger="bot.core.services.delivery"):
        await tick(core, RecordingPlatform(), monday_morning + timedelta(hours=1))
    lines = [json.loads(JsonFormatter().format(record)) for record in caplog.records]
    posted = [line for line in lines if line["message"].startswith("posted drill:")]
    assert posted and posted[0]["round_id"] == 1 and posted[0]["channel_id"] == 1
