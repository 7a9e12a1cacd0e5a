"""The Vote button under each answer: toggles the member's vote, answered ephemerally.

Vote counts stay hidden from the channel (no round setting asks for them yet); the voter's
receipt names the current count, as the core words it.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.core.cards import refuse
from bot.core.ports import SendFailed
from bot.core.services import votes
from bot.platforms.slack_app import blocks
from bot.platforms.slack_app.fields import obj, text
from bot.platforms.slack_app.listeners import replies
from bot.platforms.slack_app.services import Incoming, SlackServices


def action_channel(body: dict[str, Any]) -> str:
    channel, container = obj(body.get("channel")), obj(body.get("container"))
    return text(channel.get("id")) or text(container.get("channel_id"))


async def on_vote(services: SlackServices, incoming: Incoming) -> None:
    await incoming.ack()
    answer_id = incoming.action_number
    if answer_id is None:
        reply = refuse("That vote button is out of date; nothing was recorded.")
    else:
        actor = await services.actor(incoming)
        click = text(incoming.body.get("trigger_id")) or None  # a redelivered click: no-op
        place = incoming.place(action_channel(incoming.body))
        reply = await votes.toggle_vote(
            services.core, actor, place, answer_id, services.clock(), request_key=click
        )
    await tell(services, incoming, blocks.render(reply.card))


def action_thread(body: dict[str, Any]) -> str | None:
    """The thread of the clicked message (the ballot's drill thread), if it is in one."""
    container, message = obj(body.get("container")), obj(body.get("message"))
    return text(message.get("thread_ts")) or text(container.get("thread_ts")) or None


async def tell(services: SlackServices, incoming: Incoming, message: blocks.SlackMessage) -> None:
    """``chat.postEphemeral`` in the clicked message's thread; the ``response_url`` if that fails."""
    channel, thread_ts = action_channel(incoming.body), action_thread(incoming.body)
    try:
        await services.platform.post_ephemeral(
            incoming.client, channel, incoming.user_id, message, thread_ts
        )
    except SendFailed:
        await replies.privately(services, incoming, channel, message)


def register(app: AsyncApp, services: SlackServices) -> None:
    app.action(blocks.VOTE_ACTION)(services.listener(on_vote))
