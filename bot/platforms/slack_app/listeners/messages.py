"""Thread replies are answers: new ones, edits (``message_changed``) and deletions
(``message_deleted``). Bots' messages and messages outside a thread are ignored.

When the core offers a ballot for a new answer, a small thread message with a Vote button goes
under it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.core import wording
from bot.core.cards import AnswerReceipt
from bot.core.ports import SendFailed
from bot.core.services import answers, ballots
from bot.platforms.slack_app import blocks, refs
from bot.platforms.slack_app.services import Incoming, SlackServices

log = logging.getLogger(__name__)
Event = dict[str, Any]
SubtypeHandler = Callable[[SlackServices, Incoming, Event], Awaitable[None]]


def in_a_thread(message: Event) -> str | None:
    """The parent ts of a person's thread reply; None for parents, top-level and bot messages."""
    if message.get("bot_id") or message.get("subtype") == "bot_message":
        return None
    thread_ts, ts = message.get("thread_ts"), message.get("ts")
    return str(thread_ts) if thread_ts and ts and thread_ts != ts else None


async def new_message(services: SlackServices, incoming: Incoming, event: Event) -> None:
    thread_ts = in_a_thread(event)
    if thread_ts is None or not event.get("user"):
        return
    channel, ts = str(event["channel"]), str(event["ts"])
    actor = await services.actor(incoming, str(event["user"]))
    place = incoming.place(channel, refs.thread_ref(channel, thread_ts))
    text = refs.plain_text(str(event.get("text") or ""))
    ref = refs.message_ref(channel, ts)
    now = services.clock()
    receipt = await answers.receive_message(services.core, actor, place, ref, text, now)
    ballot = await ballots.ballot_for(services.core, receipt, now) if receipt else None
    if ballot is not None:
        await _offer_vote(services, incoming, ballot)
    if receipt is not None and _worth_saying(receipt):
        await _tell_author(services, incoming, str(event["user"]), channel, thread_ts, receipt)


def _worth_saying(receipt: AnswerReceipt) -> bool:
    """A plain new answer is acknowledged by its Vote button; anything else is said privately."""
    return bool(receipt.too_short or receipt.truncated or receipt.news or receipt.late)


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


async def _offer_vote(services: SlackServices, incoming: Incoming, ballot: ballots.Ballot) -> None:
    """The Vote button under a new answer, in the round's thread (the core decides who gets one)."""
    where = refs.split_ref(ballot.thread_ref)
    if where is None:
        return
    prompt = blocks.vote_prompt(ballot.answer_id, ballot.author_name, ballot.number)
    try:
        await services.platform.post(incoming.client, where[0], prompt, where[1])
    except SendFailed as failure:
        log.warning("vote button for answer %d not posted: %s", ballot.answer_id, failure.reason)


async def changed(services: SlackServices, incoming: Incoming, event: Event) -> None:
    message = event.get("message") or {}
    thread_ts = in_a_thread(message)
    if thread_ts is None:
        return
    channel = str(event["channel"])
    place = incoming.place(channel, refs.thread_ref(channel, thread_ts))
    ref = refs.message_ref(channel, str(message["ts"]))
    text = refs.plain_text(str(message.get("text") or ""))
    if not message.get("user"):
        return  # an edit must name its author: only they may change their answer
    editor = await services.actor(incoming, str(message["user"]))
    await answers.edit_message(services.core, place, ref, text, services.clock(), editor)


async def deleted(services: SlackServices, incoming: Incoming, event: Event) -> None:
    previous = event.get("previous_message") or {}
    thread_ts = in_a_thread(previous)
    if thread_ts is None:
        return
    channel = str(event["channel"])
    place = incoming.place(channel, refs.thread_ref(channel, thread_ts))
    ref = refs.message_ref(channel, str(event.get("deleted_ts") or previous["ts"]))
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
    event = incoming.body.get("event") or {}
    handler = SUBTYPES.get(event.get("subtype"))
    if handler is not None and event.get("channel"):
        await handler(services, incoming, event)


def register(app: AsyncApp, services: SlackServices) -> None:
    app.event("message")(services.listener(on_message))
