"""Turn the fake's records into the JSON payloads Discord sends (via ``payloads/*.json``)."""

from __future__ import annotations

from typing import Any

from .models import DM_CHANNEL, FakeChannel, FakeCommand, FakeGuild, FakeMember, FakeRole, FakeUser
from .state import FakeState
from .templates import OMIT, render


def sid(value: int | None) -> str | None:
    """Discord sends snowflakes as strings."""
    return None if value is None else str(value)


def user(record: FakeUser) -> dict[str, Any]:
    return render(
        "user",
        id=sid(record.id),
        username=record.username,
        global_name=record.global_name,
        bot=record.bot if record.bot else OMIT,
    )


def current_user(record: FakeUser) -> dict[str, Any]:
    return render("current_user", id=sid(record.id), username=record.username)


def member(record: FakeMember, *, with_user: bool = True) -> dict[str, Any]:
    return render(
        "member",
        user=user(record.user) if with_user else OMIT,
        nick=record.nick,
        roles=[sid(r) for r in record.role_ids],
        joined_at=record.joined_at,
    )


def role(record: FakeRole) -> dict[str, Any]:
    return render(
        "role",
        id=sid(record.id),
        name=record.name,
        position=record.position,
        permissions=str(record.permissions),
        managed=record.managed,
        tags={"bot_id": sid(record.bot_id)} if record.bot_id is not None else OMIT,
    )


def channel(state: FakeState, record: FakeChannel) -> dict[str, Any]:
    if record.type == DM_CHANNEL:
        return render(
            "dm_channel",
            id=sid(record.id),
            last_message_id=sid(record.last_message_id),
            recipients=[user(state.users[uid]) for uid in record.recipient_ids],
        )
    if record.is_thread:
        return thread(record)
    return render(
        "text_channel",
        id=sid(record.id),
        guild_id=sid(record.guild_id),
        name=record.name,
        position=record.position,
        permission_overwrites=[
            {"id": sid(o.id), "type": o.kind, "allow": str(o.allow), "deny": str(o.deny)}
            for o in record.overwrites.values()
        ],
        topic=record.topic,
        last_message_id=sid(record.last_message_id),
    )


def thread(record: FakeChannel) -> dict[str, Any]:
    return render(
        "thread_channel",
        id=sid(record.id),
        type=record.type,
        guild_id=sid(record.guild_id),
        parent_id=sid(record.parent_id),
        owner_id=sid(record.owner_id),
        name=record.name,
        last_message_id=sid(record.last_message_id),
        member_count=min(len(record.member_ids), 50),
        message_count=record.message_count,
        archived=record.archived,
        auto_archive_duration=record.auto_archive_duration,
        locked=record.locked,
        created_at=record.created_at,
    )


def thread_member(record: FakeChannel, user_id: int) -> dict[str, Any]:
    return {
        "id": sid(record.id),
        "user_id": sid(user_id),
        "join_timestamp": record.created_at,
        "flags": 1,
    }


def interaction_channel(
    state: FakeState, record: FakeChannel, for_member: FakeMember
) -> dict[str, Any]:
    """The channel object embedded in INTERACTION_CREATE: carries the user's permissions."""
    payload = channel(state, record)
    payload["permissions"] = str(state.permissions_in(record, for_member))
    return payload


def guild_create(state: FakeState, guild: FakeGuild) -> dict[str, Any]:
    text = guild.text_channels
    return render(
        "guild_create",
        id=sid(guild.id),
        name=guild.name,
        owner_id=sid(guild.owner_id),
        system_channel_id=sid(text[0].id) if text else None,
        large=len(guild.members) >= 250,
        member_count=len(guild.members),
        joined_at=state.bot_member(guild).joined_at,
        roles=[role(r) for r in guild.roles.values()],
        channels=[channel(state, c) for c in guild.channels.values() if not c.is_thread],
        threads=[thread(c) for c in guild.threads if not c.archived],
        members=[member(m) for m in guild.members.values()],
    )


def application(state: FakeState) -> dict[str, Any]:
    return render(
        "application",
        id=sid(state.application_id),
        name=state.bot.username,
        flags=state.application_flags,
        bot=user(state.bot),
        owner=user(state.owner),
        guild_count=len(state.guilds),
    )


def command(state: FakeState, record: FakeCommand) -> dict[str, Any]:
    body = record.payload
    return render(
        "application_command",
        id=sid(record.id),
        application_id=sid(state.application_id),
        version=sid(record.version),
        type=record.type,
        name=record.name,
        description=body.get("description", ""),
        options=body.get("options", []),
        default_member_permissions=body.get("default_member_permissions"),
        contexts=body.get("contexts"),
        integration_types=body.get("integration_types", [0]),
        nsfw=body.get("nsfw", False),
        guild_id=sid(record.guild_id) if record.guild_id is not None else OMIT,
    )


def member_chunk(guild: FakeGuild, data: dict[str, Any]) -> dict[str, Any]:
    """GUILD_MEMBERS_CHUNK answering a REQUEST_GUILD_MEMBERS (``data``), in one chunk."""
    query = str(data.get("query") or "").lower()
    wanted = {int(u) for u in data.get("user_ids") or []}
    members = [
        m
        for m in guild.members.values()
        if (not wanted or m.id in wanted) and m.user.username.lower().startswith(query)
    ]
    limit = int(data.get("limit") or 0)
    return {
        "guild_id": str(guild.id),
        "members": [member(m) for m in members[: limit or None]],
        "chunk_index": 0,
        "chunk_count": 1,
        "not_found": [str(u) for u in wanted - {m.id for m in members}],
        "presences": [],
        "nonce": data.get("nonce"),
    }
