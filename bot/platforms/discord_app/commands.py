"""Slash commands onto the core's command grammar: each command builds the text
``handle_command`` takes (``drill live-debugging``, ``admin time 09:00``) and shows its reply.

``/drill-admin`` is hidden from members without Manage Server (``default_member_permissions``)
and checked again by the core, since a server can grant the command to anyone.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import discord
from discord import app_commands

from bot.core.services.commands import handle_command
from bot.core.text import clip
from bot.platforms.discord_app.admin_commands import Run, admin_group
from bot.platforms.discord_app.events import Deps
from bot.platforms.discord_app.outbound import Where
from bot.platforms.discord_app.refs import interaction_actor, place_of
from bot.platforms.discord_app.replies import dm_only, respond
from drills import kind_label

log = logging.getLogger(__name__)
Tree = app_commands.CommandTree[discord.Client]
MAX_CHOICES = 25


class SlashCommands:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    async def run(self, interaction: discord.Interaction, text: str) -> None:
        """Run one command; a settings change that went through wakes the scheduler."""
        guild_id, channel_id = interaction.guild_id, interaction.channel_id
        if guild_id is None or channel_id is None:
            await dm_only(interaction)
            return
        place = place_of(interaction.channel, channel_id, guild_id)
        now = self.deps.clock()
        work = handle_command(
            self.deps.core, interaction_actor(interaction), place, text, str(interaction.id), now
        )
        where = Where(guild_id, None, self.deps.platform.reads_content)
        change = text.startswith("admin") and text != "admin show"  # answered in public if ok
        reply = await respond(interaction, work, where, self.deps.defer_after, public=change)
        if change and reply.ok:
            self.deps.wake()


def build_tree(client: discord.Client, run: Run, kinds: Sequence[str]) -> Tree:
    tree: Tree = app_commands.CommandTree(client)
    for command in member_commands(run, kinds):
        tree.add_command(command)
    tree.add_command(admin_group(run))
    tree.error(_command_failed)
    return tree


async def sync(tree: Tree, guild_id: int | None) -> None:
    """A development guild gets the commands at once; otherwise they are synced globally."""
    if guild_id is None:
        await tree.sync()
        return
    guild = discord.Object(guild_id)
    tree.copy_global_to(guild=guild)
    await tree.sync(guild=guild)


def member_commands(run: Run, kinds: Sequence[str]) -> list[app_commands.Command[Any, ..., None]]:
    choices = [app_commands.Choice(name=kind_label(k), value=k) for k in kinds]

    @app_commands.describe(kind="The kind of drill (default: any in this channel's rotation)")
    @app_commands.choices(kind=choices[:MAX_CHOICES])
    async def drill(interaction: discord.Interaction, kind: str | None = None) -> None:
        await run(interaction, f"drill {kind}" if kind else "drill")

    async def streak(interaction: discord.Interaction) -> None:
        await run(interaction, "streak")

    @app_commands.rename(all_time="all-time")
    @app_commands.describe(all_time="Standings of all time instead of this week")
    async def leaderboard(interaction: discord.Interaction, all_time: bool = False) -> None:
        await run(interaction, "leaderboard all-time" if all_time else "leaderboard")

    return [
        app_commands.Command(name="drill", description="A drill just for you, now", callback=drill),
        app_commands.Command(
            name="streak", description="Your streak, freezes and points this week", callback=streak
        ),
        app_commands.Command(
            name="leaderboard",
            description="This week's standings (or all time)",
            callback=leaderboard,
        ),
    ]


async def _command_failed(
    interaction: discord.Interaction, error: app_commands.AppCommandError
) -> None:
    log.error("slash command failed: %s", clip(str(error), 300), exc_info=error)
