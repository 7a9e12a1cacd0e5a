"""Gateway intents, and what to do when Discord has not granted the Message Content intent.

Drillbot asks for guilds, guild messages and (privileged) message content. Whether the last is
granted shows in the application's flags (GET /applications/@me, read at login) or, failing that,
in the gateway closing with 4014; either way Drillbot connects without it and says how to fix it.
"""

from __future__ import annotations

import discord

CONTENT_MISSING = (
    "Discord has not granted Drillbot the Message Content intent, so answers written in drill "
    "threads cannot be read; members can still answer with the Answer button on each drill. "
    "To enable it: Discord Developer Portal (https://discord.com/developers/applications) -> "
    "your application -> Bot -> Privileged Gateway Intents -> turn on Message Content Intent, "
    "save, then restart Drillbot."
)


def intents(message_content: bool) -> discord.Intents:
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_messages = True
    wanted.message_content = message_content
    return wanted


def content_granted(client: discord.Client) -> bool:
    """The application may use message content (fully, or "limited" below 100 servers)."""
    flags = client.application_flags
    return flags.gateway_message_content or flags.gateway_message_content_limited
