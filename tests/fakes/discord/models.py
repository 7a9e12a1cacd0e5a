"""Plain records for the objects the fake Discord keeps: users, guilds, roles, channels."""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Final

DISCORD_EPOCH_MS: Final = 1_420_070_400_000

TEXT_CHANNEL: Final = 0
DM_CHANNEL: Final = 1
PUBLIC_THREAD: Final = 11
PRIVATE_THREAD: Final = 12
THREAD_TYPES: Final = frozenset({10, PUBLIC_THREAD, PRIVATE_THREAD})


class SnowflakeFactory:
    """Real-looking, strictly increasing snowflakes based on the wall clock."""

    def __init__(self) -> None:
        self._counter = itertools.count()
        self._last = 0
        self._lock = threading.Lock()

    def __call__(self) -> int:
        with self._lock:
            ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
            candidate = (ms << 22) | (1 << 17) | (next(self._counter) & 0xFFF)
            self._last = max(candidate, self._last + 1)
            return self._last


def iso_now() -> str:
    """Discord's timestamp format, e.g. ``2024-01-01T12:00:00.123000+00:00``."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


@dataclass
class FakeUser:
    id: int
    username: str
    bot: bool = False
    global_name: str | None = None


@dataclass
class FakeRole:
    id: int
    guild_id: int
    name: str
    permissions: int
    position: int = 0
    managed: bool = False
    bot_id: int | None = None


@dataclass
class Overwrite:
    """A channel permission overwrite; ``kind`` 0 is a role, 1 is a member."""

    id: int
    kind: int
    allow: int = 0
    deny: int = 0


@dataclass
class FakeChannel:
    id: int
    name: str
    type: int
    guild_id: int | None
    position: int = 0
    topic: str | None = None
    parent_id: int | None = None
    owner_id: int | None = None
    archived: bool = False
    locked: bool = False
    auto_archive_duration: int = 1440
    message_count: int = 0
    member_ids: set[int] = field(default_factory=set)
    last_message_id: int | None = None
    recipient_ids: list[int] = field(default_factory=list)
    overwrites: dict[int, Overwrite] = field(default_factory=dict)
    created_at: str = field(default_factory=iso_now)

    @property
    def is_thread(self) -> bool:
        return self.type in THREAD_TYPES


@dataclass
class FakeMember:
    user: FakeUser
    guild_id: int
    role_ids: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: str = field(default_factory=iso_now)

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def mention(self) -> str:
        return f"<@{self.user.id}>"


@dataclass
class FakeGuild:
    id: int
    name: str
    owner_id: int
    roles: dict[int, FakeRole] = field(default_factory=dict)
    channels: dict[int, FakeChannel] = field(default_factory=dict)
    members: dict[int, FakeMember] = field(default_factory=dict)
    joined_at: str = field(default_factory=iso_now)

    @property
    def everyone_role(self) -> FakeRole:
        return self.roles[self.id]

    @property
    def text_channels(self) -> list[FakeChannel]:
        return [c for c in self.channels.values() if c.type == TEXT_CHANNEL]

    @property
    def threads(self) -> list[FakeChannel]:
        return [c for c in self.channels.values() if c.is_thread]


@dataclass
class FakeCommand:
    """An application command registered through the REST API."""

    id: int
    name: str
    type: int
    guild_id: int | None
    payload: dict[str, Any]
    version: int
