"""Thread replies are answers: new ones, edits (``message_changed``) and deletions
(``message_deleted``). Bots' messages and messages outside a thread are ignored.

When the core offers a ballot for a new answer, a small thread message with a Vote button goes
under it (through the core's outbox, so it is retried if Slack refuses it now).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.core import wording
from bot.core.cards import AnswerReceipt
from bot.core.ports import SendFailed
from bot.core.services import answers, outbox
from bot.platforms.slack_app import blocks, refs
from bot.platforms.slack_app.fields import obj, text
from bot.platforms.slack_app.services import Incoming, SlackServices

log = logging.getLogger(__name__)
Event = dict[str, Any]
SubtypeHandler = Callable[[SlackServices, Incoming, Event], Awaitable[None]]


def in_a_thread(message: Event) -> str | None:
    """The parent ts of a person's thread reply; None for parents, top-level and bot messages."""
    if message.get("bot_id") or message.get("subtype") == "bot_message":
        return None
    thread_ts, ts = text(message.get("thread_ts")), text(message.get("ts"))
    return thread_ts if thread_ts and ts and thread_ts != ts else None


async def new_message(services: SlackServices, incoming: Incoming, event: Event) -> None:
    thread_ts, user = in_a_thread(event), text(event.get("user"))
    if thread_ts is None or not user:
        return
    channel, ts = text(event.get("channel")), text(event.get("ts"))
    actor = await services.actor(incoming, user)
    place = incoming.place(channel, refs.thread_ref(channel, thread_ts))
    said = refs.plain_text(text(event.get("text")))
    ref = refs.message_ref(channel, ts)
    now = services.clock()
    receipt = await answers.receive_message(services.core, actor, place, ref, said, now)
    await outbox.offer_ballot(services.core, services.platform, receipt, now)
    if receipt is not None and _worth_saying(receipt):
        await _tell_author(services, incoming, user, channel, thread_ts, receipt)


def _worth_saying(receipt: AnswerReceipt) -> bool:
    """A plain new answer is acknowledged by its Vote button; anything else is said privately."""
    said = receipt.too_short or receipt.truncated or receipt.news or receipt.late
    return bool(said or receipt.blind or receipt.after_review)


async def _tell_author(
    services: SlackServices,
    incoming: Incoming,
    user: str,
    channel: str,
    thread_ts: str,
    receipt: AnswerReceipt,
) -> None:
    message = blocks.notice(wording.answer_receipt(receipt))
    try:
        await services.platform.post_ephemeral(incoming.client, channel, user, message, thread_ts)
    except SendFailed as failure:
        log.warning("receipt for answer %d not shown: %s", receipt.answer_id, failure.reason)


async def changed(services: SlackServices, incoming: Incoming, event: Event) -> None:
    message = obj(event.get("message"))
    thread_ts = in_a_thread(message)
    if thread_ts is None:
        return
    channel = text(event.get("channel"))
    place = incoming.place(channel, refs.thread_ref(channel, thread_ts))
    ref = refs.message_ref(channel, text(message.get("ts")))
    said = refs.plain_text(text(message.get("text")))
    author = text(message.get("user"))
    if not author:
        return  # an edit must name its author: only they may change their answer
    editor = await services.actor(incoming, author)
    await answers.edit_message(services.core, place, ref, said, services.clock(), editor)


async def deleted(services: SlackServices, incoming: Incoming, event: Event) -> None:
    previous = obj(event.get("previous_message"))
    thread_ts = in_a_thread(previous)
    if thread_ts is None:
        return
    channel = text(event.get("channel"))
    place = incoming.place(channel, refs.thread_ref(channel, thread_ts))
    ref = refs.message_ref(channel, text(event.get("deleted_ts")) or text(previous.get("ts")))
    await answers.delete_message(services.core, place, ref, services.clock())


# Inbound translation: message subtype -> what it means for the core. Others are ignored.
SUBTYPES: dict[str | None, SubtypeHandler] = {
    None: new_message,
    "thread_broadcast": new_message,
    "file_share": new_message,
    "message_changed": changed,
    "message_deleted": deleted,
}


async def on_message(services: SlackServices, incoming: Incoming) -> None:
    event = obj(incoming.body.get("event"))
    subtype = event.get("subtype")
    handler = SUBTYPES.get(subtype) if subtype is None or isinstance(subtype, str) else None
    if handler is not None and text(event.get("channel")):
        await handler(services, incoming, event)


def register(app: AsyncApp, services: SlackServices) -> None:
    app.event("message")(services.listener(on_message))
