"""Plain data records of the fake workspace: users, channels, messages, recorded calls."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

TokenKind = Literal["bot", "user", "app"]
JSON = dict[str, Any]


class ApiError(Exception):
    """Raised by a method handler; becomes ``{"ok": false, "error": ..., **extra}``."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra

    def body(self) -> JSON:
        return {"ok": False, "error": self.error, **self.extra}


@dataclass(frozen=True)
class Token:
    value: str
    kind: TokenKind
    user_id: str
    scopes: str


@dataclass
class User:
    id: str
    name: str
    team_id: str
    is_admin: bool = False
    is_owner: bool = False
    is_bot: bool = False
    display_name: str = ""
    real_name: str = ""
    deleted: bool = False
    tz: str = "Europe/London"

    def to_api(self) -> JSON:
        real = self.real_name or self.name.title()
        display = self.display_name or self.name
        profile = {
            "real_name": real,
            "real_name_normalized": real,
            "display_name": display,
            "display_name_normalized": display,
            "first_name": real.split(" ")[0],
            "status_text": "",
            "status_emoji": "",
            "image_48": "https://a.slack-edge.com/fake_48.png",
            "team": self.team_id,
        }
        return {
            "id": self.id,
            "team_id": self.team_id,
            "name": self.name,
            "deleted": self.deleted,
            "color": "9f69e7",
            "real_name": real,
            "tz": self.tz,
            "tz_label": "Greenwich Mean Time",
            "tz_offset": 0,
            "profile": profile,
            "is_admin": self.is_admin,
            "is_owner": self.is_owner,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "updated": 1700000000,
        }


@dataclass
class Channel:
    id: str
    name: str
    is_private: bool = False
    bot_member: bool = True
    archived: bool = False
    dm_user: str | None = None
    created: int = 1700000000

    @property
    def is_im(self) -> bool:
        return self.dm_user is not None

    def to_api(self) -> JSON:
        if self.dm_user is not None:
            return {
                "id": self.id,
                "created": self.created,
                "is_im": True,
                "is_org_shared": False,
                "user": self.dm_user,
                "is_user_deleted": False,
                "priority": 0,
            }
        return {
            "id": self.id,
            "name": self.name,
            "name_normalized": self.name,
            "is_channel": not self.is_private,
            "is_group": False,
            "is_im": False,
            "is_mpim": False,
            "is_private": self.is_private,
            "is_archived": self.archived,
            "is_general": self.name == "general",
            "is_shared": False,
            "is_ext_shared": False,
            "is_org_shared": False,
            "is_member": self.bot_member,
            "created": self.created,
            "creator": "U0FAKEOWNR",
            "topic": {"value": "", "creator": "", "last_set": 0},
            "purpose": {"value": "", "creator": "", "last_set": 0},
        }


@dataclass
class Message:
    channel: str
    ts: str
    text: str
    user: str
    team: str
    bot_id: str | None = None
    app_id: str | None = None
    blocks: list[JSON] = field(default_factory=list)
    attachments: list[JSON] = field(default_factory=list)
    thread_ts: str | None = None
    metadata: JSON | None = None
    edited_ts: str | None = None
    deleted: bool = False
    reply_ts: list[str] = field(default_factory=list)

    def to_api(self, include_metadata: bool = True) -> JSON:
        """The message as the Web API shows it; history methods show ``metadata`` only when
        asked with ``include_all_metadata``."""
        out: JSON = {
            "type": "message",
            "text": self.text,
            "user": self.user,
            "ts": self.ts,
            "team": self.team,
        }
        if self.bot_id:
            out.update(bot_id=self.bot_id, app_id=self.app_id)
            out["bot_profile"] = {
                "id": self.bot_id,
                "app_id": self.app_id,
                "deleted": False,
                "name": "drillbot",
                "team_id": self.team,
            }
        if self.blocks:
            out["blocks"] = self.blocks
        if self.attachments:
            out["attachments"] = self.attachments
        if self.thread_ts:
            out["thread_ts"] = self.thread_ts
        if self.reply_ts:
            out.update(reply_count=len(self.reply_ts), latest_reply=self.reply_ts[-1])
        if self.edited_ts:
            out["edited"] = {"user": self.user, "ts": self.edited_ts}
        if self.metadata and include_metadata:
            out["metadata"] = self.metadata
        return out


@dataclass(frozen=True)
class Ephemeral:
    channel: str
    user: str
    ts: str
    text: str
    blocks: list[JSON]
    thread_ts: str | None


@dataclass(frozen=True)
class Call:
    """One HTTP request to the fake Web API, with the answer it got."""

    method: str
    params: JSON
    headers: dict[str, str]
    http_method: str
    status: int
    response: JSON
    client_port: int | None = None  # the caller's TCP port: one per connection it opened

    def header(self, name: str) -> str | None:
        """A request header, looked up case-insensitively."""
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)

    @property
    def token(self) -> str | None:
        """The token the call was made with (Bearer header, else a ``token`` parameter)."""
        auth = self.header("Authorization") or ""
        if auth.startswith("Bearer "):
            return auth.removeprefix("Bearer ")
        token = self.params.get("token")
        return token if isinstance(token, str) else None

    @property
    def ok(self) -> bool:
        return bool(self.response.get("ok"))


@dataclass(frozen=True)
class ResponseUrlPost:
    """A POST an app made to a ``response_url`` the fake handed out."""

    url: str
    body: JSON
    client_port: int | None = None  # the app's end of the connection (one session: few ports)


class TsClock:
    """Slack-style ``"seconds.micros"`` timestamps, unique and strictly increasing.

    Clocks on different ``lane``s (0-99) never produce the same ts. With ``source`` (seconds since
    the epoch, e.g. a test's simulated clock) a ts is never earlier than what it says.
    """

    def __init__(self, lane: int = 0, source: Callable[[], float] | None = None) -> None:
        self._base = int(time.time()) * 1_000_000 + lane
        self._counter = itertools.count(100)
        self._source = source
        self._last = 0

    def next(self) -> str:
        micros = self._base + next(self._counter) * 100
        if self._source is not None:
            now = int(self._source()) * 1_000_000 + self._base % 100
            micros = max(now, self._last + 100)
        self._last = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"


class IdMaker:
    """Slack-looking ids: prefix + 9 upper-case characters, unique per prefix."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def new(self, prefix: str) -> str:
        return f"{prefix}0FK{next(self._counter):07d}"


@dataclass
class Upload:
    """A file announced by ``files.getUploadURLExternal``; ``data`` once its bytes arrive."""

    file_id: str
    filename: str
    length: int
    alt_txt: str | None
    data: bytes | None = None
    title: str | None = None
    channel: str | None = None
    initial_comment: str | None = None
