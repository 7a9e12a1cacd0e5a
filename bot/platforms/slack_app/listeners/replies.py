"""Showing the core's ``Reply`` to the member who acted: private replies through the request's
``response_url`` (ephemeral, works in any channel), public ones posted in the channel."""

from __future__ import annotations

import logging

from slack_bolt.context.respond.async_respond import AsyncRespond

from bot.core.cards import Reply
from bot.core.ports import SendFailed
from bot.core.render import render_text
from bot.platforms.slack_app import blocks
from bot.platforms.slack_app.failures import TRANSPORT_ERRORS
from bot.platforms.slack_app.services import Incoming, SlackServices

log = logging.getLogger(__name__)


async def show(services: SlackServices, incoming: Incoming, channel: str, reply: Reply) -> None:
    message = blocks.with_notes(blocks.render(reply.card), reply.notes)
    if reply.private:
        await privately(services, incoming, channel, message)
        return
    try:
        await services.platform.post(incoming.client, channel, message)
    except SendFailed as failure:
        why = failure.admin_hint or failure.reason
        note = f"{render_text(reply.card)}\n\n(Not posted in the channel: {why})"
        await privately(services, incoming, channel, blocks.notice(note))


async def privately(
    services: SlackServices, incoming: Incoming, channel: str, message: blocks.SlackMessage
) -> None:
    """Ephemeral: through ``response_url`` when the request has one, else ``chat.postEphemeral``."""
    if incoming.respond is not None and incoming.respond.response_url:
        await _respond(incoming.respond, message)
        return
    try:
        await services.platform.post_ephemeral(incoming.client, channel, incoming.user_id, message)
    except SendFailed as failure:
        log.warning("ephemeral reply to %s not posted: %s", incoming.user_id, failure.reason)


async def _respond(respond: AsyncRespond, message: blocks.SlackMessage) -> None:
    try:
        response = await respond(
            text=message.text,
            blocks=list(message.blocks),
            response_type="ephemeral",
            replace_original=False,
        )
    except TRANSPORT_ERRORS as error:
        log.warning("response_url could not be reached: %s", type(error).__name__)
        return
    if response.status_code != 200:
        log.warning("response_url answered HTTP %d", response.status_code)
