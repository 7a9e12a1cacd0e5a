"""Settings: defaults, every invalid variable named, .env files, and secrets kept secret."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from pydantic import SecretStr

from config.settings import DEFAULT_DATABASE_URL, SettingsError, load_settings

DISCORD_TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GaBcDe.s3cr3t-discord-token-value-xyz"
SLACK_BOT_TOKEN = "xoxb-1111-2222-s3cr3tSlackBotToken"
SLACK_APP_TOKEN = "xapp-1-A111-2222-s3cr3tSlackAppToken"
SIGNING_SECRET = "s3cr3t-signing-secret-0123456789"
CLIENT_SECRET = "s3cr3t-client-secret-9876543210"
SECRETS = (DISCORD_TOKEN, SLACK_BOT_TOKEN, SLACK_APP_TOKEN, SIGNING_SECRET, CLIENT_SECRET)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No DISCORD_/SLACK_/DRILLBOT_ variables, DATABASE_URL or PORT, and no stray ./.env."""
    for name in list(os.environ):
        upper = name.upper()
        if upper.startswith(("DISCORD_", "SLACK_", "DRILLBOT_")) or upper in {
            "DATABASE_URL",
            "PORT",
        }:
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def settings_error(env_file: Path | None = None) -> str:
    with pytest.raises(SettingsError) as caught:
        load_settings(env_file=env_file)
    return str(caught.value)


def test_defaults() -> None:
    s = load_settings(env_file=None)
    assert s.core.database_url == DEFAULT_DATABASE_URL == "sqlite+aiosqlite:///drillbot.db"
    assert s.core.grace_minutes == 120
    assert s.core.sweep_seconds == 30.0
    assert s.core.custom_drills_dir is None
    assert s.core.log_level == "INFO"
    assert s.core.log_format == "text"
    assert s.discord.token is None
    assert s.discord.guild_id is None
    assert s.discord.api_url == "https://discord.com/api/v10"
    assert s.slack.bot_token is None
    assert s.slack.app_token is None
    assert s.slack.port == 3000
    assert s.slack.api_url == "https://slack.com/api/"
    assert s.slack.admins == ""
    assert not s.wants_discord
    assert not s.wants_slack


def test_default_env_file_is_dot_env_in_the_working_directory(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DRILLBOT_GRACE_MINUTES=5\n", encoding="utf-8")
    assert load_settings().core.grace_minutes == 5


def test_values_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://drillbot@db/drillbot")
    monkeypatch.setenv("DRILLBOT_GRACE_MINUTES", "15")
    monkeypatch.setenv("DRILLBOT_SWEEP_SECONDS", "2.5")
    monkeypatch.setenv("DRILLBOT_LOG_FORMAT", "json")
    monkeypatch.setenv("DRILLBOT_LOG_LEVEL", "DEBUG")
    monkeypatch.setenv("DRILLBOT_CUSTOM_DRILLS_DIR", str(tmp_path))
    monkeypatch.setenv("DISCORD_TOKEN", DISCORD_TOKEN)
    monkeypatch.setenv("DRILLBOT_DISCORD_GUILD_ID", "123456789012345678")
    monkeypatch.setenv("SLACK_BOT_TOKEN", SLACK_BOT_TOKEN)
    monkeypatch.setenv("PORT", "8080")
    monkeypatch.setenv("DRILLBOT_SLACK_ADMINS", "U1,U2")
    s = load_settings(env_file=None)
    assert s.core.database_url == "postgresql://drillbot@db/drillbot"
    assert s.core.grace_minutes == 15
    assert s.core.sweep_seconds == 2.5
    assert s.core.log_format == "json"
    assert s.core.log_level == "DEBUG"
    assert s.core.custom_drills_dir == tmp_path
    assert s.discord.guild_id == 123456789012345678
    assert s.slack.port == 8080
    assert s.slack.admins == "U1,U2"
    assert s.wants_discord
    assert s.wants_slack


def test_prefixed_aliases(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRILLBOT_DATABASE_URL", "sqlite+aiosqlite:///other.db")
    monkeypatch.setenv("SLACK_PORT", "4000")
    s = load_settings(env_file=None)
    assert s.core.database_url == "sqlite+aiosqlite:///other.db"
    assert s.slack.port == 4000


def test_slack_oauth_client_id_alone_wants_slack(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_CLIENT_ID", "123.456")
    s = load_settings(env_file=None)
    assert s.wants_slack
    assert not s.wants_discord


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            "DRILLBOT_GRACE_MINUTES",
            "abc",
            "DRILLBOT_GRACE_MINUTES: Input should be a valid integer",
        ),
        ("DRILLBOT_GRACE_MINUTES", "-1", "DRILLBOT_GRACE_MINUTES: Input should be greater than"),
        ("DRILLBOT_SWEEP_SECONDS", "0", "DRILLBOT_SWEEP_SECONDS: Input should be greater than 0"),
        ("PORT", "99999", "PORT: Input should be less than or equal to 65535"),
        ("PORT", "http", "PORT: Input should be a valid integer"),
        ("DRILLBOT_LOG_FORMAT", "xml", "DRILLBOT_LOG_FORMAT: Input should be 'text' or 'json'"),
        ("DRILLBOT_LOG_LEVEL", "LOUD", "DRILLBOT_LOG_LEVEL: Input should be"),
        (
            "DRILLBOT_CUSTOM_DRILLS_DIR",
            "/nonexistent",
            "DRILLBOT_CUSTOM_DRILLS_DIR: no such folder: /nonexistent",
        ),
        ("DRILLBOT_DISCORD_GUILD_ID", "my-guild", "DRILLBOT_DISCORD_GUILD_ID: Input should be"),
    ],
)
def test_invalid_variable_is_named(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, message: str
) -> None:
    monkeypatch.setenv(variable, value)
    text = settings_error()
    assert text.startswith(message)
    assert len(text.splitlines()) == 1


def test_every_invalid_variable_is_listed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRILLBOT_GRACE_MINUTES", "abc")
    monkeypatch.setenv("DRILLBOT_LOG_FORMAT", "xml")
    monkeypatch.setenv("PORT", "99999")
    lines = settings_error().splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "DRILLBOT_GRACE_MINUTES",
        "DRILLBOT_LOG_FORMAT",
        "PORT",
    ]


def test_custom_drills_dir_must_be_a_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    a_file = tmp_path / "drills.toml"
    a_file.write_text("", encoding="utf-8")
    monkeypatch.setenv("DRILLBOT_CUSTOM_DRILLS_DIR", str(a_file))
    assert settings_error().startswith("DRILLBOT_CUSTOM_DRILLS_DIR: ")


# --- .env files ---------------------------------------------------------------------------------


def write_env(folder: Path, text: str) -> Path:
    path = folder / "custom.env"
    path.write_text(text, encoding="utf-8")
    return path


def test_env_file_is_read(tmp_path: Path) -> None:
    path = write_env(
        tmp_path,
        "# comment\n"
        "DATABASE_URL=sqlite+aiosqlite:///from-file.db\n"
        "DRILLBOT_GRACE_MINUTES=45\n"
        f"DISCORD_TOKEN={DISCORD_TOKEN}\n"
        f"SLACK_BOT_TOKEN={SLACK_BOT_TOKEN}\n"
        "PORT=3100\n"
        "UNRELATED=ignored\n",
    )
    s = load_settings(env_file=path)
    assert s.core.database_url == "sqlite+aiosqlite:///from-file.db"
    assert s.core.grace_minutes == 45
    assert s.discord.token is not None
    assert s.discord.token.get_secret_value() == DISCORD_TOKEN
    assert s.slack.bot_token is not None
    assert s.slack.bot_token.get_secret_value() == SLACK_BOT_TOKEN
    assert s.slack.port == 3100


def test_environment_beats_env_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = write_env(tmp_path, "DRILLBOT_GRACE_MINUTES=45\n")
    monkeypatch.setenv("DRILLBOT_GRACE_MINUTES", "10")
    assert load_settings(env_file=path).core.grace_minutes == 10


def test_invalid_value_in_env_file_is_named(tmp_path: Path) -> None:
    path = write_env(tmp_path, "DRILLBOT_LOG_FORMAT=xml\nPORT=0\n")
    lines = settings_error(path).splitlines()
    assert [line.split(":")[0] for line in lines] == ["DRILLBOT_LOG_FORMAT", "PORT"]


def test_missing_env_file_is_fine(tmp_path: Path) -> None:
    assert load_settings(env_file=tmp_path / "absent.env").core.grace_minutes == 120


# --- secrets ------------------------------------------------------------------------------------


def set_all_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", DISCORD_TOKEN)
    monkeypatch.setenv("SLACK_BOT_TOKEN", SLACK_BOT_TOKEN)
    monkeypatch.setenv("SLACK_APP_TOKEN", SLACK_APP_TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    monkeypatch.setenv("SLACK_CLIENT_SECRET", CLIENT_SECRET)


def test_tokens_are_secret_strings(monkeypatch: pytest.MonkeyPatch) -> None:
    set_all_secrets(monkeypatch)
    s = load_settings(env_file=None)
    values = {
        s.discord.token: DISCORD_TOKEN,
        s.slack.bot_token: SLACK_BOT_TOKEN,
        s.slack.app_token: SLACK_APP_TOKEN,
        s.slack.signing_secret: SIGNING_SECRET,
        s.slack.client_secret: CLIENT_SECRET,
    }
    for secret, value in values.items():
        assert isinstance(secret, SecretStr)
        assert secret.get_secret_value() == value
        assert str(secret) == "**********"


def test_printing_settings_never_shows_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    set_all_secrets(monkeypatch)
    s = load_settings(env_file=None)
    shown = [repr(s), str(s), repr(s.discord), str(s.slack), s.model_dump_json(), f"{s}"]
    for text in shown:
        for secret in SECRETS:
            assert secret not in text
    assert "**********" in repr(s)


def test_settings_errors_never_show_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    set_all_secrets(monkeypatch)
    monkeypatch.setenv("DRILLBOT_DISCORD_GUILD_ID", "not-a-number")
    monkeypatch.setenv("PORT", "99999")
    text = settings_error()
    assert "DRILLBOT_DISCORD_GUILD_ID" in text
    for secret in SECRETS:
        assert secret not in text


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("garbage", "DATABASE_URL: not a database URL"),
        ("mysql://u:pw@host/db", "DATABASE_URL: 'mysql' databases are not supported"),
        ("oracle+cx://h/db", "DATABASE_URL: 'oracle' databases are not supported"),
    ],
)
def test_a_database_url_drillbot_cannot_open_is_refused(monkeypatch, url, problem):
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(SettingsError, match=re.escape(problem)) as refused:
        load_settings(None)
    assert "pw@" not in str(refused.value)


@pytest.mark.parametrize(
    "url", ["sqlite:///x.db", "sqlite+aiosqlite:///x.db", "postgres://u@h/d", "postgresql:///d"]
)
def test_the_database_urls_drillbot_opens_are_accepted(monkeypatch, url):
    monkeypatch.setenv("DATABASE_URL", url)
    assert load_settings(None).core.database_url == url


# --- Discord shards -----------------------------------------------------------------------------


def test_shards_are_unset_by_default() -> None:
    discord = load_settings(env_file=None).discord
    assert (discord.shard_count, discord.shard_ids, discord.identify_seconds) == (None, None, 5.0)
    assert discord.shard_options == {}


@pytest.mark.parametrize(
    ("ids", "expected"),
    [("0,1", (0, 1)), ("0-2", (0, 1, 2)), ("0-2, 5", (0, 1, 2, 5)), (" 4 ", (4,)), ("", None)],
)
def test_shard_ids_are_a_list_or_ranges(
    monkeypatch: pytest.MonkeyPatch, ids: str, expected: tuple[int, ...] | None
) -> None:
    monkeypatch.setenv("DRILLBOT_DISCORD_SHARD_COUNT", "6")
    monkeypatch.setenv("DRILLBOT_DISCORD_SHARD_IDS", ids)
    monkeypatch.setenv("DRILLBOT_DISCORD_IDENTIFY_SECONDS", "0.5")
    discord = load_settings(env_file=None).discord
    assert discord.shard_ids == expected and discord.identify_seconds == 0.5
    wanted = {"shard_count": 6} | ({"shard_ids": list(expected)} if expected else {})
    assert discord.shard_options == wanted


@pytest.mark.parametrize(
    ("count", "ids", "message"),
    [
        (
            None,
            "0-1",
            "DRILLBOT_DISCORD_SHARD_IDS: shard ids need the total: set "
            "DRILLBOT_DISCORD_SHARD_COUNT",
        ),
        (
            "6",
            "4-6",
            "DRILLBOT_DISCORD_SHARD_IDS: shard 6 is outside 0-5 "
            "(DRILLBOT_DISCORD_SHARD_COUNT is 6)",
        ),
        ("6", "one", "DRILLBOT_DISCORD_SHARD_IDS: 'one' is not a shard id; use a list like"),
        ("6", "3-1", "DRILLBOT_DISCORD_SHARD_IDS: '3-1' runs backwards"),
        ("6", "1,1", "DRILLBOT_DISCORD_SHARD_IDS: a shard id is listed twice"),
        ("6", "0-99999999", "DRILLBOT_DISCORD_SHARD_IDS: shard 99999999 is beyond"),
        ("0", "0", "DRILLBOT_DISCORD_SHARD_COUNT: Input should be greater than or equal to 1"),
    ],
)
def test_bad_shard_settings_are_named(
    monkeypatch: pytest.MonkeyPatch, count: str | None, ids: str, message: str
) -> None:
    if count is not None:
        monkeypatch.setenv("DRILLBOT_DISCORD_SHARD_COUNT", count)
    monkeypatch.setenv("DRILLBOT_DISCORD_SHARD_IDS", ids)
    text = settings_error()
    assert text.startswith(message) and len(text.splitlines()) == 1, text


def test_the_identify_window_must_be_positive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRILLBOT_DISCORD_IDENTIFY_SECONDS", "0")
    assert settings_error().startswith("DRILLBOT_DISCORD_IDENTIFY_SECONDS: Input should be greater")
