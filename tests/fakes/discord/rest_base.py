"""What every REST route handler shares: settings, state, gateway, lookups and errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from aiohttp import web

from .gateway import Gateway
from .interactions import FakeInteraction
from .models import FakeChannel, FakeGuild
from .state import FakeState
from .wire import RecordedRequest, error

UNKNOWN_CHANNEL: Final = 10003
UNKNOWN_GUILD: Final = 10004
UNKNOWN_MEMBER: Final = 10007
UNKNOWN_MESSAGE: Final = 10008
UNKNOWN_USER: Final = 10013
UNKNOWN_WEBHOOK: Final = 10015
UNKNOWN_INTERACTION: Final = 10062
UNKNOWN_COMMAND: Final = 10063
MISSING_ACCESS: Final = 50001
CANNOT_EDIT_OTHERS: Final = 50005
EMPTY_MESSAGE: Final = 50006
MISSING_PERMISSIONS: Final = 50013
INVALID_FORM_BODY: Final = 50035
ALREADY_ACKNOWLEDGED: Final = 40060
THREAD_ALREADY_CREATED: Final = 160004


RECORD: Final = web.RequestKey("fake_discord_record", RecordedRequest)


class ApiError(Exception):
    """Raised by handlers to answer with a Discord error response."""

    def __init__(self, status: int, message: str | None = None, code: int | None = None) -> None:
        super().__init__(f"{status} {message}")
        self.response = error(status, message, code)


@dataclass
class Settings:
    token: str = "fake-bot-token"
    reject_invalid: bool = True
    interaction_deadline: float = 3.0


@dataclass
class RestContext:
    state: FakeState
    gateway: Gateway
    settings: Settings
    requests: list[RecordedRequest] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    interactions: dict[int, FakeInteraction] = field(default_factory=dict)

    def violate(self, problems: list[str]) -> None:
        """Record problems; answer 400 like Discord unless the fake runs lenient."""
        self.violations.extend(problems)
        if problems and self.settings.reject_invalid:
            raise ApiError(400, "Invalid Form Body", INVALID_FORM_BODY)

    def body(self, request: web.Request) -> dict[str, Any]:
        value = request[RECORD].json
        return value if isinstance(value, dict) else {}

    def files(self, request: web.Request) -> list[tuple[str, str, str, int]]:
        files = request[RECORD].files
        return [(f.field, f.filename, f.content_type, len(f.data)) for f in files]

    def where(self, request: web.Request) -> str:
        """``METHOD /path`` of the request, for violation messages."""
        return f"{request.method} {request[RECORD].path}"

    def snowflake_param(self, request: web.Request, key: str, unknown: int) -> int:
        try:
            return int(request.match_info[key])
        except ValueError:
            raise ApiError(404, "Unknown " + key.removesuffix("_id").title(), unknown) from None

    def channel(self, request: web.Request) -> FakeChannel:
        channel_id = self.snowflake_param(request, "channel_id", UNKNOWN_CHANNEL)
        channel = self.state.channels.get(channel_id)
        if channel is None:
            raise ApiError(404, "Unknown Channel", UNKNOWN_CHANNEL)
        return channel

    def guild(self, request: web.Request) -> FakeGuild:
        guild = self.state.guilds.get(self.snowflake_param(request, "guild_id", UNKNOWN_GUILD))
        if guild is None:
            raise ApiError(404, "Unknown Guild", UNKNOWN_GUILD)
        return guild

    def message(self, request: web.Request, channel: FakeChannel) -> dict[str, Any]:
        message_id = self.snowflake_param(request, "message_id", UNKNOWN_MESSAGE)
        message = self.state.messages.get(message_id)
        if message is None or message["channel_id"] != str(channel.id):
            raise ApiError(404, "Unknown Message", UNKNOWN_MESSAGE)
        return message

    def require(self, channel: FakeChannel, *bits: int) -> None:
        """403 Missing Permissions (50013) unless the bot has every bit in ``channel``."""
        granted = self.state.bot_permissions_in(channel)
        if not granted & (1 << 10):
            raise ApiError(403, "Missing Access", MISSING_ACCESS)
        for bit in bits:
            if not granted & bit:
                raise ApiError(403, "Missing Permissions", MISSING_PERMISSIONS)

    def interaction_by_token(self, token: str) -> FakeInteraction:
        for interaction in self.interactions.values():
            if interaction.token == token:
                return interaction
        raise ApiError(404, "Unknown Webhook", UNKNOWN_WEBHOOK)
