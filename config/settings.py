"""Settings from the environment and an optional ``.env`` file, one section per concern.

Tokens are ``SecretStr``: they print as ``**********`` and are unwrapped only where a client needs them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from config.env import SettingsError as SettingsError  # raised here, defined without pydantic
from config.env import check_folder

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///drillbot.db"
# Backends and the driver forms Drillbot accepts (it picks the async driver itself).
DATABASE_SCHEMES = ("sqlite", "sqlite+aiosqlite", "postgres", "postgresql", "postgresql+asyncpg")
MAX_SHARDS = 100_000
URL_FORMS = "sqlite:///path/to/drillbot.db or postgresql://user:password@host:5432/database"


def check_database_url(url: str) -> str:
    """A URL Drillbot can open; ``ValueError`` says what is wrong (never echoing a password)."""
    scheme, separator, _ = url.strip().partition("://")
    if not separator or not scheme:
        raise ValueError(f"not a database URL; use {URL_FORMS}")
    if scheme.lower() not in DATABASE_SCHEMES:
        backend = scheme.split("+")[0].lower()
        raise ValueError(
            f"'{backend[:20]}' databases are not supported; Drillbot runs on SQLite or "
            f"PostgreSQL: use {URL_FORMS}"
        )
    return url.strip()


class _Section(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", env_file_encoding="utf-8")


class CoreSettings(_Section):
    model_config = SettingsConfigDict(env_prefix="DRILLBOT_", extra="ignore")

    database_url: str = Field(
        DEFAULT_DATABASE_URL, validation_alias=AliasChoices("DATABASE_URL", "DRILLBOT_DATABASE_URL")
    )
    grace_minutes: int = Field(120, ge=0, le=24 * 60)
    sweep_seconds: float = Field(30.0, gt=0, le=3600)
    # How long a post being sent is held by its sender; after a crash another attempt waits this
    # long, then looks for the post before sending it again.
    send_lease_seconds: float = Field(120.0, ge=1, le=3600)
    custom_drills_dir: Path | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        return check_database_url(value)

    @field_validator("custom_drills_dir")
    @classmethod
    def _folder_exists(cls, value: Path | None) -> Path | None:
        return None if value is None else check_folder(value)


class DiscordSettings(_Section):
    model_config = SettingsConfigDict(env_prefix="DRILLBOT_DISCORD_", extra="ignore")

    token: SecretStr | None = Field(None, validation_alias=AliasChoices("DISCORD_TOKEN"))
    guild_id: int | None = None
    api_url: str = "https://discord.com/api/v10"
    gateway_url: str = "wss://gateway.discord.gg/"
    sharded: bool = False  # AutoShardedClient, for bots in thousands of servers
    # Several processes sharing the shards: each runs the shards in ``shard_ids`` ("0,1" or
    # "0-2") out of ``shard_count``; a count alone runs every shard in this one process.
    shard_count: int | None = Field(None, ge=1, le=MAX_SHARDS)
    shard_ids: Annotated[tuple[int, ...] | None, NoDecode] = None
    # Discord allows one IDENTIFY per 5 s per concurrency bucket; on PostgreSQL the processes
    # take turns through the database (see bot/platforms/discord_app/identify_gate.py).
    identify_seconds: float = Field(5.0, gt=0, le=60)
    # Discord's global limit for this bot (50 unless Discord raised it): requests are paced under it
    global_rate: int = Field(50, ge=1)

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _parse_shard_ids(cls, value: object) -> object:
        return parse_shard_ids(value) if isinstance(value, str) else value

    @field_validator("shard_ids")
    @classmethod
    def _shard_ids_fit_the_count(
        cls, value: tuple[int, ...] | None, info: ValidationInfo
    ) -> tuple[int, ...] | None:
        if value is None or "shard_count" not in info.data:  # a bad count is reported itself
            return value
        return check_shard_ids(value, info.data["shard_count"])

    @property
    def shard_options(self) -> dict[str, object]:
        """``AutoShardedClient`` keywords: the count, and this process's shards when set."""
        options: dict[str, object] = {}
        if self.shard_count is not None:
            options["shard_count"] = self.shard_count
        if self.shard_ids is not None:
            options["shard_ids"] = list(self.shard_ids)
        return options


SHARD_ID_FORMS = 'a list like "0,1", a range like "0-2", or both ("0-2,5")'


def parse_shard_ids(text: str) -> tuple[int, ...] | None:
    """``"0,1"``, ``"0-2"`` or ``"0-2,5"`` as shard ids in order (an empty value: none)."""
    ids: list[int] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        first, dash, last = part.partition("-")
        if not (first.strip().isdigit() and (not dash or last.strip().isdigit())):
            raise ValueError(f"'{part[:20]}' is not a shard id; use {SHARD_ID_FORMS}")
        low, high = int(first), int(last) if dash else int(first)
        if high < low:
            raise ValueError(f"'{part}' runs backwards; write the lower id first")
        if high >= MAX_SHARDS:
            raise ValueError(f"shard {high} is beyond any bot's shard count")
        ids.extend(range(low, high + 1))
    return tuple(ids) or None


def check_shard_ids(ids: tuple[int, ...], count: int | None) -> tuple[int, ...]:
    """Shard ids need a count and must each be one of 0..count-1, once."""
    if count is None:
        raise ValueError(
            "shard ids need the total: set DRILLBOT_DISCORD_SHARD_COUNT to the number of shards "
            "all processes run together"
        )
    outside = sorted({i for i in ids if i >= count})
    if outside:
        raise ValueError(
            f"shard {outside[0]} is outside 0-{count - 1} (DRILLBOT_DISCORD_SHARD_COUNT is {count})"
        )
    if len(set(ids)) != len(ids):
        raise ValueError("a shard id is listed twice")
    return ids


class SlackSettings(_Section):
    model_config = SettingsConfigDict(env_prefix="SLACK_", extra="ignore")

    bot_token: SecretStr | None = None
    signing_secret: SecretStr | None = None
    app_token: SecretStr | None = None
    client_id: str | None = None
    client_secret: SecretStr | None = None
    port: int = Field(3000, ge=1, le=65535, validation_alias=AliasChoices("PORT", "SLACK_PORT"))
    api_url: str = Field(
        "https://slack.com/api/", validation_alias=AliasChoices("DRILLBOT_SLACK_API_URL")
    )
    admins: str = Field("", validation_alias=AliasChoices("DRILLBOT_SLACK_ADMINS"))
    # chat.postMessage a second per workspace: Slack keeps a workspace-wide limit on top of one
    # a second per channel but publishes no figure ("several hundred messages a minute")
    post_rate: float = Field(
        10.0, gt=0, le=1000, validation_alias=AliasChoices("DRILLBOT_SLACK_POST_RATE")
    )


class Settings(BaseModel):
    core: CoreSettings
    discord: DiscordSettings
    slack: SlackSettings

    @property
    def wants_discord(self) -> bool:
        return self.discord.token is not None

    @property
    def wants_slack(self) -> bool:
        return self.slack.bot_token is not None or self.slack.client_id is not None


def load_settings(env_file: Path | None = Path(".env")) -> Settings:
    """Read every section; raises ``SettingsError`` naming each invalid variable."""
    problems: list[str] = []
    sections = {}
    for name, cls in (
        ("core", CoreSettings),
        ("discord", DiscordSettings),
        ("slack", SlackSettings),
    ):
        try:
            sections[name] = cls(_env_file=env_file)  # type: ignore[call-arg]
        except ValidationError as error:
            problems.extend(_describe(cls, error))
    if problems:
        raise SettingsError("\n".join(problems))
    return Settings.model_validate(sections)


def _describe(cls: type[BaseSettings], error: ValidationError) -> list[str]:
    prefix = str(cls.model_config.get("env_prefix", ""))
    lines = []
    for item in error.errors():
        field_name = str(item["loc"][0]) if item["loc"] else "?"
        message = str(item["msg"]).removeprefix("Value error, ")
        lines.append(f"{_variable(cls, prefix, field_name)}: {message}")
    return lines


def _variable(cls: type[BaseSettings], prefix: str, name: str) -> str:
    info = cls.model_fields.get(name)
    alias = info.validation_alias if info else None
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    if name.isupper():
        return name
    return f"{prefix}{name}".upper()
