"""``/drill-admin SETTING [value]``: one sub-command per admin setting of the core's grammar."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from functools import cache
from typing import Any
from zoneinfo import available_timezones

import discord
from discord import app_commands

from bot.core.model import WEEKDAYS

Run = Callable[[discord.Interaction, str], Awaitable[None]]
Callback = Callable[..., Coroutine[Any, Any, None]]
MAX_CHOICES = 25

# name, description, hint for its value (None: the sub-command takes no value)
SUBCOMMANDS: tuple[tuple[str, str, str | None], ...] = (
    ("channel", "Make this channel a drill channel", None),
    ("show", "Show this channel's Drillbot settings", None),
    ("time", "Set the daily post time", "HH:MM on a 24-hour clock, like 09:00"),
    ("timezone", "Set the channel's time zone", "An IANA name like Europe/Berlin"),
    ("days", "Set the days drills are posted", "mon-fri, daily, weekdays or mon,wed,fri"),
    ("kinds", "Set the kinds of drill in rotation", "Comma-separated kinds, or all"),
    ("window", "Set how long answers stay open", "A duration like 24h, 90m or 1d12h"),
    ("weekly-day", "Set the weekly leaderboard's day", "The day"),
    ("weekly-time", "Set the weekly leaderboard's time", "HH:MM on a 24-hour clock"),
    ("pause", "Pause the daily drills", None),
    ("resume", "Resume the daily drills", None),
    ("skip", "Skip the next daily drill", None),
    ("post-now", "Post today's drill now", None),
)


def admin_group(run: Run) -> app_commands.Group:
    group = app_commands.Group(
        name="drill-admin",
        description="Drillbot settings for this channel (needs Manage Server)",
        default_permissions=discord.Permissions(manage_guild=True),
        guild_only=True,
    )
    for name, description, hint in SUBCOMMANDS:
        callback = _with_value(run, name, hint) if hint else _plain(run, name)
        command: app_commands.Command[Any, ..., None] = app_commands.Command(
            name=name, description=description, callback=callback
        )
        if name == "timezone":
            command.autocomplete("value")(_zones)
        group.add_command(command)
    return group


def _plain(run: Run, name: str) -> Callback:
    async def callback(interaction: discord.Interaction) -> None:
        await run(interaction, f"admin {name}")

    return callback


def _with_value(run: Run, name: str, hint: str) -> Callback:
    async def callback(interaction: discord.Interaction, value: str) -> None:
        await run(interaction, f"admin {name} {value}")

    described = app_commands.describe(value=hint)(callback)
    if name == "weekly-day":
        days = [app_commands.Choice(name=day, value=day) for day in WEEKDAYS]
        return app_commands.choices(value=days)(described)
    return described


@cache
def _zone_names() -> tuple[str, ...]:
    return tuple(sorted(available_timezones()))


async def _zones(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    typed = current.strip().lower()
    found = [zone for zone in _zone_names() if typed in zone.lower()][:MAX_CHOICES]
    return [app_commands.Choice(name=zone, value=zone) for zone in found]
