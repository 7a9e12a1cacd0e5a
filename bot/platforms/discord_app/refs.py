"""How Discord objects map onto the core's references.

platform "discord", space_ref = guild id, channel_ref = channel id (a thread's parent inside a
thread), thread_ref = thread id, message_ref = message id (snowflakes are globally unique).
"""

from __future__ import annotations

import hashlib

import discord

from bot.core.model import Actor, Place

PLATFORM = "discord"
NONCE_CHARS = 25  # Discord's limit for a message nonce
JUMP_BASE = "https://discord.com/channels"


def actor_of(
    user: discord.User | discord.Member, guild_id: int, *, is_admin: bool = False
) -> Actor:
    return Actor(
        PLATFORM, str(guild_id), str(user.id), user.display_name, is_admin, is_bot=user.bot
    )


def interaction_actor(interaction: discord.Interaction) -> Actor:
    """The member behind an interaction; an admin is a member with Manage Server in that guild."""
    permissions = interaction.permissions
    is_admin = permissions.administrator or permissions.manage_guild
    return actor_of(interaction.user, interaction.guild_id or 0, is_admin=is_admin)


def place_of(channel: object, channel_id: int, guild_id: int) -> Place:
    """A channel, or a thread inside its parent channel."""
    if isinstance(channel, discord.Thread):
        return Place(PLATFORM, str(guild_id), str(channel.parent_id), str(channel.id))
    return Place(PLATFORM, str(guild_id), str(channel_id))


def thread_place(channel: object, channel_id: int, guild_id: int) -> Place | None:
    """The thread a message is in; None in a plain channel. A channel discord.py does not know
    (an archived thread, out of the cache) counts as a thread: the core acts only on rounds'."""
    if isinstance(channel, discord.Thread):
        return place_of(channel, channel_id, guild_id)
    if channel is None or isinstance(channel, discord.PartialMessageable):
        return Place(PLATFORM, str(guild_id), str(channel_id), str(channel_id))
    return None


def nonce_for(idempotency_key: str) -> str:
    """A stable nonce (at most 25 characters) so Discord drops a retried duplicate."""
    return hashlib.sha256(idempotency_key.encode()).hexdigest()[: NONCE_CHARS - 1]


def message_id(message_ref: str | None) -> int | None:
    """The snowflake of a stored message ref; None for refs that are no message (modal answers)."""
    return int(message_ref) if message_ref and message_ref.isdigit() else None


def jump_url(guild_id: int, channel_id: int, message_ref: str | None) -> str | None:
    found = message_id(message_ref)
    return None if found is None else f"{JUMP_BASE}/{guild_id}/{channel_id}/{found}"


def modal_ref(interaction_id: int) -> str:
    return f"modal:{interaction_id}"
