"""The fake's world: the application, its bot user, guilds, channels, members, messages."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from . import permissions as perm
from .models import (
    DM_CHANNEL,
    PUBLIC_THREAD,
    TEXT_CHANNEL,
    FakeChannel,
    FakeCommand,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeUser,
    Overwrite,
    SnowflakeFactory,
)

GATEWAY_PRESENCE = 1 << 12
GATEWAY_PRESENCE_LIMITED = 1 << 13
GATEWAY_GUILD_MEMBERS = 1 << 14
GATEWAY_GUILD_MEMBERS_LIMITED = 1 << 15
GATEWAY_MESSAGE_CONTENT = 1 << 18
GATEWAY_MESSAGE_CONTENT_LIMITED = 1 << 19
APPLICATION_COMMAND_BADGE = 1 << 23


NONCE_WINDOW = 300.0  # seconds Discord remembers a nonce ("the past few minutes")


@dataclass
class Nonces:
    """Nonces of sent messages by (channel, author, nonce), for ``enforce_nonce``."""

    seen: dict[tuple[int, int, str], tuple[float, dict[str, Any]]] = field(default_factory=dict)

    def remember(
        self, channel_id: int, author_id: int, nonce: object, message: dict[str, Any]
    ) -> None:
        self.seen[(channel_id, author_id, str(nonce))] = (time.monotonic(), message)

    def find(self, channel_id: int, author_id: int, nonce: object) -> dict[str, Any] | None:
        found = self.seen.get((channel_id, author_id, str(nonce)))
        if found is None or time.monotonic() - found[0] > NONCE_WINDOW:
            return None
        return found[1]


@dataclass
class FakeState:
    """All objects of one fake Discord instance; REST and gateway both read it."""

    snowflake: SnowflakeFactory = field(default_factory=SnowflakeFactory)
    application_id: int = 0
    bot: FakeUser = field(default_factory=lambda: FakeUser(0, "drillbot", bot=True))
    owner: FakeUser = field(default_factory=lambda: FakeUser(0, "owner"))
    application_flags: int = (
        GATEWAY_MESSAGE_CONTENT_LIMITED
        | GATEWAY_GUILD_MEMBERS_LIMITED
        | GATEWAY_PRESENCE_LIMITED
        | APPLICATION_COMMAND_BADGE
    )
    guilds: dict[int, FakeGuild] = field(default_factory=dict)
    channels: dict[int, FakeChannel] = field(default_factory=dict)
    users: dict[int, FakeUser] = field(default_factory=dict)
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    commands: dict[int, FakeCommand] = field(default_factory=dict)
    nonces: Nonces = field(default_factory=Nonces)

    def __post_init__(self) -> None:
        self.application_id = self.snowflake()
        self.bot = FakeUser(self.application_id, self.bot.username, bot=True)
        self.owner = FakeUser(self.snowflake(), self.owner.username, global_name="Owner")
        self.users[self.bot.id] = self.bot
        self.users[self.owner.id] = self.owner

    # --- builders ---------------------------------------------------------------------

    def add_guild(self, name: str, guild_id: int | None = None) -> FakeGuild:
        guild = FakeGuild(id=guild_id or self.snowflake(), name=name, owner_id=self.owner.id)
        guild.roles[guild.id] = FakeRole(guild.id, guild.id, "@everyone", perm.DEFAULT_EVERYONE)
        bot_role = FakeRole(
            self.snowflake(),
            guild.id,
            self.bot.username,
            perm.DEFAULT_BOT_ROLE,
            1,
            True,
            self.bot.id,
        )
        guild.roles[bot_role.id] = bot_role
        guild.members[self.owner.id] = FakeMember(self.owner, guild.id)
        guild.members[self.bot.id] = FakeMember(self.bot, guild.id, [bot_role.id])
        self.guilds[guild.id] = guild
        return guild

    def add_role(self, guild: FakeGuild, name: str, permissions: int) -> FakeRole:
        role = FakeRole(self.snowflake(), guild.id, name, permissions, position=len(guild.roles))
        guild.roles[role.id] = role
        return role

    def add_text_channel(self, guild: FakeGuild, name: str, topic: str | None) -> FakeChannel:
        position = len(guild.text_channels)
        channel = FakeChannel(self.snowflake(), name, TEXT_CHANNEL, guild.id, position, topic)
        guild.channels[channel.id] = channel
        self.channels[channel.id] = channel
        return channel

    def add_thread(
        self,
        parent: FakeChannel,
        name: str,
        owner_id: int,
        *,
        thread_id: int | None = None,
        kind: int = PUBLIC_THREAD,
        auto_archive_duration: int = 1440,
    ) -> FakeChannel:
        assert parent.guild_id is not None, "threads live in guild channels"
        thread = FakeChannel(
            id=thread_id or self.snowflake(),
            name=name,
            type=kind,
            guild_id=parent.guild_id,
            parent_id=parent.id,
            owner_id=owner_id,
            auto_archive_duration=auto_archive_duration,
            member_ids={owner_id},
        )
        self.guilds[parent.guild_id].channels[thread.id] = thread
        self.channels[thread.id] = thread
        return thread

    def add_member(
        self,
        guild: FakeGuild,
        username: str,
        *,
        admin: bool,
        roles: list[FakeRole],
        nick: str | None,
    ) -> FakeMember:
        user = FakeUser(self.snowflake(), username, global_name=username.title())
        self.users[user.id] = user
        role_ids = [role.id for role in roles]
        if admin:
            role_ids.append(self._admin_role(guild).id)
        member = FakeMember(user, guild.id, role_ids, nick)
        guild.members[user.id] = member
        return member

    def dm_channel(self, user: FakeUser) -> FakeChannel:
        for channel in self.channels.values():
            if channel.type == DM_CHANNEL and channel.recipient_ids == [user.id]:
                return channel
        channel = FakeChannel(self.snowflake(), "", DM_CHANNEL, None, recipient_ids=[user.id])
        self.channels[channel.id] = channel
        return channel

    def _admin_role(self, guild: FakeGuild) -> FakeRole:
        for role in guild.roles.values():
            if role.name == "Admin":
                return role
        return self.add_role(guild, "Admin", perm.ADMINISTRATOR)

    # --- lookups ----------------------------------------------------------------------

    def guild_of(self, channel: FakeChannel) -> FakeGuild | None:
        return None if channel.guild_id is None else self.guilds.get(channel.guild_id)

    def member(self, guild_id: int, user_id: int) -> FakeMember | None:
        guild = self.guilds.get(guild_id)
        return None if guild is None else guild.members.get(user_id)

    def bot_member(self, guild: FakeGuild) -> FakeMember:
        return guild.members[self.bot.id]

    # --- permissions ------------------------------------------------------------------

    def permissions_in(self, channel: FakeChannel, member: FakeMember) -> int:
        """Resolved permissions of ``member`` in ``channel`` (threads use their parent)."""
        guild = self.guild_of(channel)
        if guild is None:
            return perm.VIEW_CHANNEL | perm.SEND_MESSAGES | perm.READ_MESSAGE_HISTORY
        if channel.is_thread and channel.parent_id is not None:
            channel = self.channels[channel.parent_id]
        roles = [guild.roles[r] for r in member.role_ids if r in guild.roles]
        base = perm.base_permissions(
            guild.everyone_role.permissions,
            [role.permissions for role in roles],
            is_owner=member.id == guild.owner_id,
        )
        everyone = channel.overwrites.get(guild.id)
        role_ows = [channel.overwrites[r.id] for r in roles if r.id in channel.overwrites]
        mine = channel.overwrites.get(member.id)
        return perm.apply_overwrites(
            base,
            None if everyone is None else (everyone.allow, everyone.deny),
            [(o.allow, o.deny) for o in role_ows],
            None if mine is None else (mine.allow, mine.deny),
        )

    def bot_permissions_in(self, channel: FakeChannel) -> int:
        guild = self.guild_of(channel)
        if guild is None:
            return self.permissions_in(channel, FakeMember(self.bot, 0))
        return self.permissions_in(channel, self.bot_member(guild))

    def set_overwrite(
        self, channel: FakeChannel, target_id: int, kind: int, allow: int, deny: int
    ) -> None:
        """``kind`` 0: role overwrite, 1: member overwrite."""
        channel.overwrites[target_id] = Overwrite(target_id, kind, allow, deny)

    # --- application flags ------------------------------------------------------------

    def intent_granted(self, full_flag: int, limited_flag: int) -> bool:
        return bool(self.application_flags & (full_flag | limited_flag))

    def grant_intent(self, full_flag: int, limited_flag: int, granted: bool) -> None:
        self.application_flags &= ~(full_flag | limited_flag)
        if granted:
            self.application_flags |= limited_flag
