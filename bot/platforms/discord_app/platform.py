"""``DiscordPlatform``: the core's port on Discord. A daily drill is an embed in the channel plus a
public thread opened from it; results go to that thread; the weekly leaderboard to the channel.

Every post carries a nonce derived from the idempotency key (``enforce_nonce``), so Discord drops a
retried duplicate; a drill whose thread cannot be opened is withdrawn, so its retry posts afresh.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord

from bot.core.cards import Card, DrillCard, Notice
from bot.core.ports import Posted, SendFailed
from bot.core.text import clip
from bot.platforms.discord_app.failures import TRANSPORT_ERRORS, send_failed
from bot.platforms.discord_app.outbound import Where, outgoing
from bot.platforms.discord_app.pacing import GlobalPacer
from bot.platforms.discord_app.refs import PLATFORM, nonce_for

if TYPE_CHECKING:  # importing discord.types first at run time is circular
    from discord.types.threads import ThreadArchiveDuration

log = logging.getLogger(__name__)
THREAD_ALREADY_CREATED = 160004
ARCHIVE_MINUTES: tuple[ThreadArchiveDuration, ...] = (1440, 4320, 10080)
THREAD_NAME_CHARS = 100
Sendable = discord.TextChannel | discord.Thread


def archive_minutes(remaining: timedelta) -> ThreadArchiveDuration:
    """The shortest auto-archive duration that outlasts the answer window."""
    minutes = remaining.total_seconds() / 60
    return next((m for m in ARCHIVE_MINUTES if m >= minutes), ARCHIVE_MINUTES[-1])


def label(target: Sendable) -> str:
    """``#name`` of the channel (a thread's parent), for log lines and admin hints."""
    channel = target.parent if isinstance(target, discord.Thread) else target
    return f"#{channel.name}" if channel is not None else f"channel {target.id}"


class DiscordPlatform:
    name = PLATFORM

    def __init__(self, clock: Callable[[], datetime], pacer: GlobalPacer | None = None) -> None:
        self.client: discord.Client | None = None  # set by the runtime while connected
        self.reads_content = True  # False when the Message Content intent was not granted
        self.pacer = pacer or GlobalPacer()  # the runtime hooks it into the client's requests
        self._clock = clock

    @property
    def send_lanes(self) -> int:
        """Posts worth having in flight at once: a second's worth of the global limit, so the
        pacer always has a request waiting (it, not the lanes, decides when each goes out)."""
        return self.pacer.limit

    async def deliver(
        self, channel_ref: str, thread_ref: str | None, card: Card, idempotency_key: str
    ) -> Posted:
        where = f"channel {channel_ref}"
        try:
            target = await self.channel(int(thread_ref or channel_ref))
            where = label(target)
            return await self._post(target, card, nonce_for(idempotency_key))
        except (discord.HTTPException, *TRANSPORT_ERRORS) as error:
            raise send_failed(error, where) from error

    async def channel(self, channel_id: int) -> Sendable:
        """A text channel or thread, from the cache or (an archived thread) from the API."""
        if self.client is None or self.client.is_closed():
            raise SendFailed("Drillbot is not connected to Discord")
        found = self.client.get_channel(channel_id) or await self.client.fetch_channel(channel_id)
        if not isinstance(found, Sendable):
            raise SendFailed(
                f"channel {channel_id} is not a text channel or thread", permanent=True
            )
        return found

    async def _post(self, target: Sendable, card: Card, nonce: str) -> Posted:
        thread_id = target.id if isinstance(target, discord.Thread) else None
        parts = outgoing(card, Where(target.guild.id, thread_id, self.reads_content))
        try:
            message = await target.send(**parts.kwargs(), nonce=nonce)
        finally:
            parts.sent()
        if not isinstance(card, DrillCard) or thread_id is not None:
            return Posted(str(message.id))
        return Posted(str(message.id), str(await self._open_thread(message, card)))

    async def _open_thread(self, message: discord.Message, card: DrillCard) -> int:
        name = clip(f"Answers: {card.drill.title}", THREAD_NAME_CHARS)
        duration = archive_minutes(card.closes_at - self._clock())
        try:
            thread = await message.create_thread(name=name, auto_archive_duration=duration)
        except discord.HTTPException as error:
            if error.code == THREAD_ALREADY_CREATED:  # a retry that Discord deduplicated
                return message.id
            await self._withdraw(message)
            raise
        return thread.id

    async def _withdraw(self, message: discord.Message) -> None:
        try:
            await message.delete()
        except (discord.HTTPException, *TRANSPORT_ERRORS) as error:
            log.warning(
                "could not withdraw drill post %d without its thread: %s", message.id, error
            )

    async def notify_admins(
        self, space_ref: str, admin_ref: str | None, notice: Notice, idempotency_key: str
    ) -> Posted:
        """A notice for a server's admins: in its system channel if Drillbot may post there,
        else by DM to ``admin_ref`` (the admin who set the drill channel up)."""
        where = f"server {space_ref}"
        try:
            target = await self._admin_target(int(space_ref), admin_ref)
            parts = outgoing(notice, Where(int(space_ref)))
            message = await target.send(**parts.kwargs(), nonce=nonce_for(idempotency_key))
            return Posted(str(message.id))
        except (discord.HTTPException, *TRANSPORT_ERRORS) as error:
            raise send_failed(error, where) from error

    async def _admin_target(self, guild_id: int, admin_ref: str | None) -> discord.abc.Messageable:
        if self.client is None or self.client.is_closed():
            raise SendFailed("Drillbot is not connected to Discord")
        guild = self.client.get_guild(guild_id)
        system = guild.system_channel if guild is not None else None
        if system is not None and system.permissions_for(system.guild.me).send_messages:
            return system
        if admin_ref is None or not admin_ref.isdigit():
            raise SendFailed("no system channel to post in and no admin to tell", permanent=True)
        user = self.client.get_user(int(admin_ref)) or await self.client.fetch_user(int(admin_ref))
        return await user.create_dm()
