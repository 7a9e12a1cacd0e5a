"""World building for :class:`FakeDiscord`: guilds, channels, threads, roles, members.

Builders work before and after clients connect; once connected, each change is also
dispatched (GUILD_CREATE, CHANNEL_CREATE, THREAD_CREATE, GUILD_MEMBER_ADD, ...).
"""

from __future__ import annotations

from . import serialize
from .gateway import INTENT_GUILD_MEMBERS, Gateway
from .models import FakeChannel, FakeGuild, FakeMember, FakeRole, FakeUser
from .state import FakeState


class WorldBuilding:
    """Mixin for :class:`FakeDiscord`; relies on ``state`` and ``gateway``."""

    state: FakeState
    gateway: Gateway

    def add_guild(self, name: str = "Drill Guild", guild_id: int | None = None) -> FakeGuild:
        """``guild_id``: a chosen snowflake (it decides the guild's shard), else a fresh one."""
        guild = self.state.add_guild(name, guild_id)
        self.gateway.emit("GUILD_CREATE", serialize.guild_create(self.state, guild))
        return guild

    def add_role(self, guild: FakeGuild, name: str, permissions: int = 0) -> FakeRole:
        role = self.state.add_role(guild, name, permissions)
        self.gateway.emit(
            "GUILD_ROLE_CREATE", {"guild_id": str(guild.id), "role": serialize.role(role)}
        )
        return role

    def add_text_channel(
        self, guild: FakeGuild, name: str = "general", topic: str | None = None
    ) -> FakeChannel:
        channel = self.state.add_text_channel(guild, name, topic)
        self.gateway.emit("CHANNEL_CREATE", serialize.channel(self.state, channel))
        return channel

    def add_thread(
        self, channel: FakeChannel, name: str, owner: FakeMember | None = None
    ) -> FakeChannel:
        owner_id = owner.id if owner is not None else self.state.owner.id
        thread = self.state.add_thread(channel, name, owner_id)
        self.gateway.emit("THREAD_CREATE", serialize.thread(thread))
        return thread

    def add_member(
        self,
        guild: FakeGuild,
        username: str,
        *,
        admin: bool = False,
        roles: list[FakeRole] | None = None,
        nick: str | None = None,
    ) -> FakeMember:
        member = self.state.add_member(guild, username, admin=admin, roles=roles or [], nick=nick)
        payload = {**serialize.member(member), "guild_id": str(guild.id)}
        self.gateway.emit("GUILD_MEMBER_ADD", payload, intent=INTENT_GUILD_MEMBERS)
        return member

    def set_permissions(
        self, channel: FakeChannel, target: FakeMember | FakeRole, *, allow: int = 0, deny: int = 0
    ) -> None:
        """Set a member or role permission overwrite on a (non-thread) channel."""
        kind = 1 if isinstance(target, FakeMember) else 0
        self.state.set_overwrite(channel, target.id, kind, allow, deny)
        self.gateway.emit("CHANNEL_UPDATE", serialize.channel(self.state, channel))

    def set_bot_permissions(self, channel: FakeChannel, *, allow: int = 0, deny: int = 0) -> None:
        """Overwrite the bot's permissions in ``channel`` (threads inherit from their parent)."""
        target = self.state.channels[channel.parent_id] if channel.parent_id else channel
        self.set_permissions(
            target, self.state.bot_member(self._guild_of(target)), allow=allow, deny=deny
        )

    def bot_permissions(self, channel: FakeChannel) -> int:
        return self.state.bot_permissions_in(channel)

    def dm_channel(self, member: FakeMember | FakeUser) -> FakeChannel:
        return self.state.dm_channel(member.user if isinstance(member, FakeMember) else member)

    def _guild_of(self, channel: FakeChannel) -> FakeGuild:
        guild = self.state.guild_of(channel)
        assert guild is not None, "not a guild channel"
        return guild
