"""Slash commands onto the core's command grammar: each command builds the text
``handle_command`` takes (``drill live-debugging``, ``admin time 09:00``) and shows its reply.
The tree itself is derived from the core's command table (``slash``).

``/drill-admin`` is hidden from members without Manage Server (``default_member_permissions``)
and checked again by the core, since a server can grant the command to anyone.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import discord
from discord import app_commands

from bot.core.cards import Reply, refuse
from bot.core.services.commands import command_for, handle_command
from bot.core.text import clip
from bot.platforms.discord_app.events import DiscordServices
from bot.platforms.discord_app.outbound import Where
from bot.platforms.discord_app.refs import interaction_actor, place_of
from bot.platforms.discord_app.replies import FAILED, dm_only, respond, show
from bot.platforms.discord_app.slash import Run, admin_group, member_slash_commands

log = logging.getLogger(__name__)
Tree = app_commands.CommandTree[discord.Client]


class SlashCommands:
    def __init__(self, services: DiscordServices) -> None:
        self.services = services

    async def run(self, interaction: discord.Interaction, text: str) -> None:
        """Run one command line through the core and show its reply (public if the table says so)."""
        guild_id, channel_id = interaction.guild_id, interaction.channel_id
        if guild_id is None or channel_id is None:
            await dm_only(interaction)
            return
        place = place_of(interaction.channel, channel_id, guild_id)
        now = self.services.clock()
        actor = interaction_actor(interaction)
        work = handle_command(self.services.core, actor, place, text, str(interaction.id), now)
        where = Where(guild_id, None, self.services.platform.reads_content)
        command = command_for(text)
        public = command is not None and command.public
        await respond(interaction, work, where, self.services.defer_after, public=public)


def build_tree(client: discord.Client, run: Run, kinds: Sequence[str]) -> Tree:
    tree: Tree = app_commands.CommandTree(client)
    for command in member_slash_commands(run, kinds):
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


async def _command_failed(
    interaction: discord.Interaction, error: app_commands.AppCommandError
) -> None:
    """A command Discord sent but the tree could not run: an ephemeral explanation, always."""
    reply = explain(error)
    if reply is None:
        log.error("slash command failed: %s", clip(str(error), 300), exc_info=error)
        reply = refuse(FAILED)
    else:
        log.warning("slash command refused: %s", type(error).__name__)
    await show(interaction, reply, Where(interaction.guild_id or 0))


def explain(error: app_commands.AppCommandError) -> Reply | None:
    """What to tell the member about a command that does not fit the tree; None for a bug."""
    if isinstance(error, app_commands.CommandNotFound):
        name = clip(" ".join([*error.parents, error.name]), 60)
        return refuse(
            f"Drillbot has no command '/{name}' (Discord may be showing an old list for a "
            "while). /drill-help lists the commands."
        )
    if isinstance(error, app_commands.CommandSignatureMismatch | app_commands.TransformerError):
        return refuse(
            f"That command is missing an option or has one it does not take. {_usage(error)}"
        )
    if isinstance(error, app_commands.NoPrivateMessage):
        return refuse("Drillbot's commands work in a server's drill channel, not in messages.")
    return None


def _usage(error: app_commands.AppCommandError) -> str:
    command = getattr(error, "command", None)
    name = command.qualified_name if command is not None else ""
    found = command_for(name)
    if found is None:
        return "/drill-help lists the commands and what each takes."
    usage = found.usage().replace("admin ", "drill-admin ", 1) if found.admin else found.usage()
    return f"Usage: /{usage}"
