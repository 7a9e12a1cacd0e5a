"""Discord's slash-command tree, derived from the core's command table.

Member commands become top-level commands (``/drill``, ``/streak`` ...); admin commands become
sub-commands of ``/drill-admin``. Each callback rebuilds the command line the core's grammar takes.
Only Discord's extras live here, keyed by command name: choices, autocomplete, and the commands
Discord answers with buttons instead of a slash command.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Sequence
from functools import cache
from typing import Any
from zoneinfo import available_timezones

import discord
from discord import app_commands

from bot.core.model import WEEKDAYS
from bot.core.services.command_table import Command, admin_commands, member_commands
from drills import kind_label

Run = Callable[[discord.Interaction, str], Awaitable[None]]
Callback = Callable[..., Coroutine[Any, Any, None]]
SlashCommand = app_commands.Command[Any, ..., None]
MAX_CHOICES = 25
DESCRIPTION_CHARS = 100
BUTTON_ONLY = frozenset({"vote"})  # Discord votes with the button under each answer
SLASH_NAMES = {"help": "drill-help"}  # a bare /help would clash with other bots


def member_slash_commands(run: Run, kinds: Sequence[str]) -> list[SlashCommand]:
    extras = _member_extras(kinds)
    return [
        _slash(command, run, SLASH_NAMES.get(command.name, command.name.replace(" ", "-")), extras)
        for command in member_commands()
        if command.name not in BUTTON_ONLY
    ]


def admin_group(run: Run) -> app_commands.Group:
    group = app_commands.Group(
        name="drill-admin",
        description="Drillbot settings for this channel (needs Manage Server)",
        default_permissions=discord.Permissions(manage_guild=True),
        guild_only=True,
    )
    extras = _admin_extras()
    for command in admin_commands():
        group.add_command(_slash(command, run, command.words[1], extras))
    return group


Extra = Callable[[Callback], Callback]


def _slash(command: Command, run: Run, name: str, extras: dict[str, Extra]) -> SlashCommand:
    callback = _callback(command, run)
    if command.name in extras:
        callback = extras[command.name](callback)
    summary = command.summary[:1].upper() + command.summary[1:]
    slash: SlashCommand = app_commands.Command(
        name=name, description=summary[:DESCRIPTION_CHARS], callback=callback
    )
    if command.name == "admin timezone":
        slash.autocomplete("value")(_zones)
    return slash


def _callback(command: Command, run: Run) -> Callback:
    """A callback taking the command's one argument (if any) as option ``value``."""
    if not command.args:

        async def plain(interaction: discord.Interaction) -> None:
            await run(interaction, command.name)

        return plain
    arg = command.args[0]
    if arg.optional:

        async def optional(interaction: discord.Interaction, value: str | None = None) -> None:
            await run(interaction, f"{command.name} {value}" if value else command.name)

        return _named(optional, arg.name, arg.hint)

    async def required(interaction: discord.Interaction, value: str) -> None:
        await run(interaction, f"{command.name} {value}")

    return _named(required, arg.name, arg.hint)


def _named(callback: Callback, name: str, hint: str) -> Callback:
    described = app_commands.describe(value=hint[:DESCRIPTION_CHARS])(callback)
    if name == "value":
        return described
    return app_commands.rename(value=name.lower().replace(" ", "-"))(described)


def _member_extras(kinds: Sequence[str]) -> dict[str, Extra]:
    kind_choices = [app_commands.Choice(name=kind_label(k), value=k) for k in kinds]
    periods = [
        app_commands.Choice(name="This week", value="week"),
        app_commands.Choice(name="All time", value="all-time"),
    ]
    return {
        "drill": app_commands.choices(value=kind_choices[:MAX_CHOICES]),
        "leaderboard": app_commands.choices(value=periods),
    }


def _admin_extras() -> dict[str, Extra]:
    days = [app_commands.Choice(name=day, value=day) for day in WEEKDAYS]
    return {"admin weekly-day": app_commands.choices(value=days)}


@cache
def _zone_names() -> tuple[str, ...]:
    return tuple(sorted(available_timezones()))


async def _zones(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    typed = current.strip().lower()
    found = [zone for zone in _zone_names() if typed in zone.lower()][:MAX_CHOICES]
    return [app_commands.Choice(name=zone, value=zone) for zone in found]
