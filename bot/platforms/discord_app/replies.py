"""Answering interactions with the core's replies, always within Discord's 3 seconds.

The use case runs at once; if it has not finished after ``defer_after`` seconds the interaction is
deferred (ephemeral unless the reply is expected to be public) and the reply follows up.
Private replies are ephemeral.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import TypeVar

import discord

from bot.core import wording
from bot.core.cards import AnswerReceipt, Reply, refuse, tell
from bot.core.errors import StorageUnavailable
from bot.platforms.discord_app.failures import TRANSPORT_ERRORS
from bot.platforms.discord_app.outbound import Where, outgoing

log = logging.getLogger(__name__)
T = TypeVar("T")
FAILED = "Something went wrong on Drillbot's side; nothing was changed. Please try again."
DM_ONLY = "Drillbot works in server channels: use its commands in a drill channel of your server."
BUSY = "Couldn't do that right now: Drillbot's database is busy. Please try again in a minute."
VOTE_BUSY = "Couldn't record your vote: please try again in a minute."
ANSWER_BUSY = "Couldn't record your answer: please try again in a minute."


async def respond(
    interaction: discord.Interaction,
    work: Awaitable[Reply],
    where: Where,
    defer_after: float,
    public: bool = False,
    busy: str = BUSY,
) -> Reply:
    """Run ``work`` and show its reply; a failure shows a short apology instead (``busy`` when
    the database is locked or unreachable: the member is never left without an answer)."""
    try:
        reply = await within_deadline(interaction, work, defer_after, public)
    except StorageUnavailable as error:
        log.warning("interaction %d not handled: %s", interaction.id, error)
        reply = refuse(busy)
    except Exception:
        log.exception("interaction %d failed", interaction.id)
        reply = refuse(FAILED)
    await show(interaction, reply, where)
    return reply


async def within_deadline(
    interaction: discord.Interaction, work: Awaitable[T], defer_after: float, public: bool
) -> T:
    """``work``'s result; the interaction is deferred if it takes over ``defer_after`` seconds."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=defer_after)
    if not done:
        try:
            await interaction.response.defer(ephemeral=not public, thinking=True)
        except (discord.HTTPException, *TRANSPORT_ERRORS) as error:
            log.warning("could not defer interaction %d: %s", interaction.id, error)
    return await task


async def show(interaction: discord.Interaction, reply: Reply, where: Where) -> None:
    message = outgoing(reply.card, where).with_notes(reply.notes)
    try:
        if interaction.response.is_done():
            await interaction.followup.send(**message.kwargs(), ephemeral=reply.private)
        else:
            await interaction.response.send_message(**message.kwargs(), ephemeral=reply.private)
    except (discord.HTTPException, *TRANSPORT_ERRORS) as error:
        log.warning("could not answer interaction %d: %s", interaction.id, error)
    finally:
        message.sent()


async def dm_only(interaction: discord.Interaction) -> None:
    await show(interaction, tell(DM_ONLY), Where())


def receipt_reply(receipt: AnswerReceipt | None) -> Reply:
    """What a member sees after answering in the modal: the reveal, or the receipt."""
    if receipt is None:
        return refuse(wording.NOT_RECORDED)
    if receipt.full:
        return refuse(wording.answer_receipt(receipt))
    if receipt.reveal is not None:
        return Reply(receipt.reveal)
    return tell(wording.answer_receipt(receipt))
