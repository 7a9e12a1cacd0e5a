"""The fake workspace's state and the builder methods tests use to set it up."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TypedDict, Unpack

from tests.fakes.slack import defaults
from tests.fakes.slack.models import (
    JSON,
    ApiError,
    Channel,
    Ephemeral,
    IdMaker,
    Message,
    ResponseUrlPost,
    Token,
    TokenKind,
    TsClock,
    Upload,
    User,
)


class WorkspaceOptions(TypedDict, total=False):
    """Overrides for ``FakeSlack(...)``; every field defaults to ``defaults.py``."""

    team_id: str
    team_name: str
    team_domain: str
    app_id: str
    bot_user_id: str
    bot_id: str
    bot_token: str
    app_token: str
    signing_secret: str
    client_id: str
    client_secret: str
    scopes: str


@dataclass(frozen=True)
class OAuthGrant:
    code: str
    installer: str
    scope: str
    user_scope: str


class Workspace:
    """One Slack team as the fake sees it. ``FakeSlack`` extends this with the servers."""

    def __init__(self, **options: Unpack[WorkspaceOptions]) -> None:
        self.team_id = options.get("team_id", defaults.TEAM_ID)
        self.team_name = options.get("team_name", defaults.TEAM_NAME)
        self.team_domain = options.get("team_domain", defaults.TEAM_DOMAIN)
        self.app_id = options.get("app_id", defaults.APP_ID)
        self.bot_user_id = options.get("bot_user_id", defaults.BOT_USER_ID)
        self.bot_id = options.get("bot_id", defaults.BOT_ID)
        self.bot_token = options.get("bot_token", defaults.BOT_TOKEN)
        self.app_token = options.get("app_token", defaults.APP_TOKEN)
        self.signing_secret = options.get("signing_secret", defaults.SIGNING_SECRET)
        self.client_id = options.get("client_id", defaults.CLIENT_ID)
        self.client_secret = options.get("client_secret", defaults.CLIENT_SECRET)
        self.scopes = options.get("scopes", defaults.BOT_SCOPES)
        self.ids, self.clock = IdMaker(), TsClock()
        self.users: dict[str, User] = {}
        self.channels: dict[str, Channel] = {}
        self.store: dict[str, list[Message]] = {}
        self.ephemerals: list[Ephemeral] = []
        self.home_views: dict[str, JSON] = {}
        self.opened_views: list[JSON] = []
        self.responses: list[ResponseUrlPost] = []
        self.violations: list[str] = []
        self.tokens: dict[str, Token] = {}
        self.revoked: set[str] = set()
        self.oauth_grants: dict[str, OAuthGrant] = {}
        self.uploads: dict[str, Upload] = {}  # files_upload_v2's files, by file id
        self.upload_base = ""  # where upload URLs point (the fake's own address)
        self._register_token(self.bot_token, "bot", self.bot_user_id)
        self._register_token(self.app_token, "app", "")
        bot = User(self.bot_user_id, defaults.BOT_NAME, self.team_id, is_bot=True)
        self.users[bot.id] = bot

    # ----- builders -------------------------------------------------------------------------

    def add_user(
        self,
        name: str,
        *,
        admin: bool = False,
        owner: bool = False,
        bot: bool = False,
        display_name: str = "",
        user_id: str | None = None,
    ) -> str:
        """Add a member; returns the new user id."""
        uid = user_id or self.ids.new("U")
        self.users[uid] = User(
            uid,
            name,
            self.team_id,
            is_admin=admin,
            is_owner=owner,
            is_bot=bot,
            display_name=display_name,
        )
        return uid

    def add_channel(
        self,
        name: str,
        *,
        bot_member: bool = True,
        private: bool = False,
        archived: bool = False,
        channel_id: str | None = None,
    ) -> str:
        """Add a channel; ``bot_member=False`` makes posting answer ``not_in_channel``."""
        cid = channel_id or self.ids.new("C")
        self.channels[cid] = Channel(
            cid, name, is_private=private, bot_member=bot_member, archived=archived
        )
        self.store.setdefault(cid, [])
        return cid

    def open_dm(self, user_id: str) -> str:
        """The bot's DM channel id with ``user_id`` (created on first use)."""
        for channel in self.channels.values():
            if channel.dm_user == user_id:
                return channel.id
        cid = self.ids.new("D")
        self.channels[cid] = Channel(cid, "", dm_user=user_id)
        self.store.setdefault(cid, [])
        return cid

    def add_message(
        self, channel: str, text: str, *, user: str, thread_ts: str | None = None
    ) -> str:
        """Seed a message written by a person (e.g. the parent of a thread); returns its ts."""
        msg = Message(channel, self.clock.next(), text, user, self.team_id, thread_ts=thread_ts)
        self.append_message(msg)
        return msg.ts

    def add_oauth_code(
        self, code: str | None = None, *, installer: str | None = None, user_scope: str = ""
    ) -> str:
        """Make an OAuth ``code`` the fake will exchange once in ``oauth.v2.access``."""
        code = code or f"{secrets.randbelow(10**12)}.{secrets.token_hex(8)}"
        installer = installer or self.add_user("installer", admin=True)
        self.oauth_grants[code] = OAuthGrant(code, installer, self.scopes, user_scope)
        return code

    def revoke_token(self, token: str) -> None:
        """Calls with this token now answer ``token_revoked``."""
        self.revoked.add(token)

    # ----- queries --------------------------------------------------------------------------

    def messages(self, channel: str, *, include_deleted: bool = False) -> list[Message]:
        """Messages in ``channel`` (top-level and replies), oldest first."""
        return [m for m in self.store.get(channel, []) if include_deleted or not m.deleted]

    def thread(self, channel: str, thread_ts: str) -> list[Message]:
        """Replies in one thread (parent excluded), oldest first."""
        return [m for m in self.messages(channel) if m.thread_ts == thread_ts and m.ts != thread_ts]

    def find_message(self, channel: str, ts: str) -> Message | None:
        return next((m for m in self.store.get(channel, []) if m.ts == ts), None)

    def find_user(self, ref: str) -> User | None:
        return self.users.get(ref)

    def resolve_channel(self, ref: str) -> Channel | None:
        """A channel by id, by ``#name``/name, or a user id (meaning the bot's DM with them)."""
        if ref in self.channels:
            return self.channels[ref]
        if ref in self.users:
            return self.channels[self.open_dm(ref)]
        name = ref.removeprefix("#")
        return next((c for c in self.channels.values() if c.name == name and not c.is_im), None)

    def issue_socket_url(self) -> str:
        """A fresh Socket Mode URL (``apps.connections.open``); FakeSlack serves it."""
        raise ApiError("internal_error", detail="this workspace has no Socket Mode server")

    def assert_no_violations(self) -> None:
        assert not self.violations, "Slack API misuse:\n" + "\n".join(self.violations)

    # ----- used by the method handlers ------------------------------------------------------

    def append_message(self, msg: Message) -> None:
        self.store.setdefault(msg.channel, []).append(msg)
        if msg.thread_ts and msg.thread_ts != msg.ts:
            parent = self.find_message(msg.channel, msg.thread_ts)
            if parent is None:
                self.violations.append(
                    f"thread_ts {msg.thread_ts} matches no message in {msg.channel}"
                )
            else:
                parent.reply_ts.append(msg.ts)

    def issue_token(self, kind: TokenKind, user_id: str, scopes: str) -> str:
        prefix = {"bot": "xoxb", "user": "xoxp", "app": "xapp"}[kind]
        value = f"{prefix}-{secrets.randbelow(10**12)}-{secrets.token_hex(12)}"
        self._register_token(value, kind, user_id, scopes)
        return value

    def _register_token(self, value: str, kind: TokenKind, user_id: str, scopes: str = "") -> None:
        self.tokens[value] = Token(value, kind, user_id, scopes or self.scopes)
