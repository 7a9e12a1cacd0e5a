"""Gateway events into use cases: thread messages are answers, raw edits and deletes change them.

Messages from bots (this one included) and webhooks are never passed on. Without the Message
Content intent Discord blanks members' text, so edits are ignored then (members answer by button).
"""

from __future__ import annotations

import logging

import discord

from bot.core import wording
from bot.core.cards import AnswerReceipt
from bot.core.errors import StorageUnavailable
from bot.core.model import Place
from bot.core.services import answers, outbox
from bot.platforms.discord_app.events import DiscordServices, Handler
from bot.platforms.discord_app.failures import TRANSPORT_ERRORS
from bot.platforms.discord_app.refs import actor_of, thread_place

log = logging.getLogger(__name__)
MEMBER_TEXT = (discord.MessageType.default, discord.MessageType.reply)
NOT_RECORDED = (
    "Couldn't record this message as part of your answer: please post it again in a minute."
)


async def offer_votes(services: DiscordServices, receipt: AnswerReceipt | None) -> None:
    """A new answer open to votes gets its Vote button in the round's thread (an outbox post,
    retried like a drill if Discord refuses it now)."""
    await outbox.offer_ballot(services.core, services.platform, receipt, services.clock())


class MessageEvents:
    def __init__(self, services: DiscordServices) -> None:
        self.services = services

    def table(self) -> dict[str, Handler]:
        return {
            "on_message": self.on_message,
            "on_raw_message_edit": self.on_raw_message_edit,
            "on_raw_message_delete": self.on_raw_message_delete,
            "on_raw_bulk_message_delete": self.on_raw_bulk_message_delete,
        }

    async def on_message(self, message: discord.Message) -> None:
        guild, channel = message.guild, message.channel
        place = thread_place(channel, channel.id, guild.id) if guild is not None else None
        if guild is None or place is None or not _from_member(message):
            return
        try:
            receipt = await answers.receive_message(
                self.services.core,
                actor_of(message.author, guild.id),
                place,
                str(message.id),
                message.content,
                self.services.clock(),
            )
        except StorageUnavailable as error:
            log.warning("message %d not recorded: %s", message.id, error)
            await _tell(message, NOT_RECORDED)
            return
        if receipt is not None and (
            receipt.full or receipt.truncated or receipt.blind or receipt.after_review
        ):
            await _tell(message, wording.answer_receipt(receipt))  # the limit or the rule, named
        await offer_votes(self.services, receipt)
        if receipt is not None and receipt.created and receipt.too_short:
            await _say_too_short(message, receipt)

    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        content = payload.data.get("content")
        author = payload.message.author
        if payload.guild_id is None or author.bot or not content or not self._reads_content:
            return
        place = self._place(payload.channel_id, payload.guild_id)
        if place is None:
            return
        now, editor = self.services.clock(), actor_of(author, payload.guild_id)
        try:
            await answers.edit_message(
                self.services.core, place, str(payload.message_id), content, now, editor
            )
        except StorageUnavailable as error:
            log.warning("edit of message %d not recorded: %s", payload.message_id, error)

    async def on_raw_message_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        await self._deleted(payload.guild_id, payload.channel_id, [payload.message_id])

    async def on_raw_bulk_message_delete(self, payload: discord.RawBulkMessageDeleteEvent) -> None:
        await self._deleted(payload.guild_id, payload.channel_id, sorted(payload.message_ids))

    async def _deleted(self, guild_id: int | None, channel_id: int, ids: list[int]) -> None:
        place = self._place(channel_id, guild_id) if guild_id is not None else None
        if place is None:
            return
        for message_id in ids:
            try:
                await answers.delete_message(
                    self.services.core, place, str(message_id), self.services.clock()
                )
            except StorageUnavailable as error:
                log.warning("deletion of message %d not recorded: %s", message_id, error)

    @property
    def _reads_content(self) -> bool:
        return self.services.platform.reads_content

    def _place(self, channel_id: int, guild_id: int) -> Place | None:
        client = self.services.platform.client
        channel = client.get_channel(channel_id) if client is not None else None
        return thread_place(channel, channel_id, guild_id)


async def _tell(message: discord.Message, text: str) -> None:
    """Tell the member in the thread (no ping) rather than drop their message silently."""
    try:
        await message.reply(text, mention_author=False)
    except (discord.HTTPException, *TRANSPORT_ERRORS, *CLOSING) as error:
        log.warning("could not tell the author of message %d: %s", message.id, error)


# A reply still on its way when the bot shuts down meets a closed HTTP session (aiohttp says so
# with a RuntimeError); the message itself was recorded, so a warning is enough.
CLOSING = (RuntimeError,)


def _from_member(message: discord.Message) -> bool:
    return not message.author.bot and message.webhook_id is None and message.type in MEMBER_TEXT


async def _say_too_short(message: discord.Message, receipt: AnswerReceipt) -> None:
    """Discord has no private reply to a message: a quiet reply in the thread (no ping) says why."""
    try:
        await message.reply(
            wording.answer_receipt(receipt),
            mention_author=False,
            allowed_mentions=discord.AllowedMentions.none(),
        )
    except (discord.HTTPException, *TRANSPORT_ERRORS, *CLOSING) as error:
        log.warning("could not tell answer %d's author it is short: %s", receipt.answer_id, error)
