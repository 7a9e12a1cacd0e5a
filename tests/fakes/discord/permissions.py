"""Discord permission bits and the permission resolution algorithm used by the fake.

https://discord.com/developers/docs/topics/permissions#permissions-permission-hierarchy
"""

from __future__ import annotations

from typing import Final

CREATE_INSTANT_INVITE: Final = 1 << 0
KICK_MEMBERS: Final = 1 << 1
BAN_MEMBERS: Final = 1 << 2
ADMINISTRATOR: Final = 1 << 3
MANAGE_CHANNELS: Final = 1 << 4
MANAGE_GUILD: Final = 1 << 5
ADD_REACTIONS: Final = 1 << 6
VIEW_CHANNEL: Final = 1 << 10
SEND_MESSAGES: Final = 1 << 11
MANAGE_MESSAGES: Final = 1 << 13
EMBED_LINKS: Final = 1 << 14
ATTACH_FILES: Final = 1 << 15
READ_MESSAGE_HISTORY: Final = 1 << 16
MENTION_EVERYONE: Final = 1 << 17
USE_EXTERNAL_EMOJIS: Final = 1 << 18
CHANGE_NICKNAME: Final = 1 << 26
MANAGE_ROLES: Final = 1 << 28
USE_APPLICATION_COMMANDS: Final = 1 << 31
MANAGE_THREADS: Final = 1 << 34
CREATE_PUBLIC_THREADS: Final = 1 << 35
CREATE_PRIVATE_THREADS: Final = 1 << 36
SEND_MESSAGES_IN_THREADS: Final = 1 << 38
ALL: Final = (1 << 51) - 1

DEFAULT_EVERYONE: Final = (
    CREATE_INSTANT_INVITE
    | ADD_REACTIONS
    | VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | MENTION_EVERYONE
    | USE_EXTERNAL_EMOJIS
    | CHANGE_NICKNAME
    | USE_APPLICATION_COMMANDS
    | CREATE_PUBLIC_THREADS
    | CREATE_PRIVATE_THREADS
    | SEND_MESSAGES_IN_THREADS
)
DEFAULT_BOT_ROLE: Final = DEFAULT_EVERYONE | MANAGE_MESSAGES | MANAGE_THREADS


def base_permissions(everyone: int, role_permissions: list[int], *, is_owner: bool) -> int:
    """Guild-level permissions: @everyone plus every role the member holds."""
    if is_owner:
        return ALL
    perms = everyone
    for value in role_permissions:
        perms |= value
    return ALL if perms & ADMINISTRATOR else perms


def apply_overwrites(
    base: int,
    everyone_overwrite: tuple[int, int] | None,
    role_overwrites: list[tuple[int, int]],
    member_overwrite: tuple[int, int] | None,
) -> int:
    """Channel-level permissions; each overwrite is an ``(allow, deny)`` pair."""
    if base & ADMINISTRATOR:
        return ALL
    perms = base
    if everyone_overwrite is not None:
        perms = (perms & ~everyone_overwrite[1]) | everyone_overwrite[0]
    allow = deny = 0
    for role_allow, role_deny in role_overwrites:
        allow |= role_allow
        deny |= role_deny
    perms = (perms & ~deny) | allow
    if member_overwrite is not None:
        perms = (perms & ~member_overwrite[1]) | member_overwrite[0]
    if not perms & VIEW_CHANNEL:
        return 0
    return perms
