"""The OAuth2 URL that adds Drillbot to a server, with exactly the permissions it uses."""

from __future__ import annotations

import base64

import discord

SCOPES = ("bot", "applications.commands")
PERMISSIONS = discord.Permissions(
    view_channel=True,  # see the drill channel and its threads
    send_messages=True,  # post drills and weekly leaderboards
    send_messages_in_threads=True,  # post results and Vote buttons in drill threads
    create_public_threads=True,  # open each daily drill's answer thread
    embed_links=True,  # drills, results and leaderboards are embeds
    attach_files=True,  # the weekly leaderboard's picture is attached to its post
    read_message_history=True,  # see earlier messages in drill threads (hidden without it)
)


def invite_url(application_id: int) -> str:
    return discord.utils.oauth_url(application_id, permissions=PERMISSIONS, scopes=SCOPES)


def application_id_from_token(token: str) -> int | None:
    """A bot token starts with its bot user's id in base64, which is the application's id."""
    head = token.split(".", 1)[0]
    try:
        decoded = base64.b64decode(head + "=" * (-len(head) % 4), validate=True).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    return int(decoded) if decoded.isdigit() else None
