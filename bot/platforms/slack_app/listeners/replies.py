"""Showing the core's ``Reply`` to the member who acted: private replies through the request's
``response_url`` (ephemeral, works in any channel), public ones posted in the channel through the
core's outbox (retried like any post when Slack refuses them now)."""

from __future__ import annotations

import logging
from dataclasses import replace

from bot.core import wording
from bot.core.cards import FileCard, Notice, Reply
from bot.core.ports import SendFailed
from bot.core.render import render_text
from bot.core.services import outbox
from bot.platforms.slack_app import blocks
from bot.platforms.slack_app.failures import TRANSPORT_ERRORS
from bot.platforms.slack_app.services import Incoming, SlackServices

log = logging.getLogger(__name__)


async def show(
    services: SlackServices, incoming: Incoming, channel: str, reply: Reply, request_key: str
) -> None:
    """The reply: privately with the member's news, or posted in the channel (the news, if any,
    still privately)."""
    if isinstance(reply.card, FileCard):
        reply = await _file_to_dm(services, incoming, reply.card, reply)
    if reply.private:
        message = blocks.with_notes(blocks.render(reply.card), reply.notes)
        await privately(services, incoming, channel, message)
        return
    place, now = incoming.place(channel), services.clock()
    failure = await outbox.announce(
        services.core, services.platform, place, reply.card, request_key, now
    )
    if failure is not None:
        why = failure.admin_hint or failure.reason
        later = "" if failure.permanent else "; Drillbot will post it once that is fixed"
        note = f"{render_text(reply.card)}\n\n(Not posted in the channel: {why}{later})"
        await privately(services, incoming, channel, blocks.notice(note))
    elif reply.notes:
        await privately(services, incoming, channel, blocks.notice("\n".join(reply.notes)))


async def _file_to_dm(
    services: SlackServices, incoming: Incoming, card: FileCard, reply: Reply
) -> Reply:
    """Slack has no ephemeral files: the file goes to a DM with the member, and the reply in the
    channel (ephemeral) says where it went."""
    try:
        await services.platform.upload_to_member(incoming.client, incoming.user_id, card)
    except SendFailed as failure:
        log.warning("file for %s not uploaded: %s", incoming.user_id, failure.reason)
        return replace(reply, card=Notice(wording.file_not_sent(failure.reason)), ok=False)
    return replace(reply, card=Notice(wording.file_sent_to_dm(card.summary_text)))


async def privately(
    services: SlackServices, incoming: Incoming, channel: str, message: blocks.SlackMessage
) -> None:
    """Ephemeral: through ``response_url`` when the request has one, else ``chat.postEphemeral``."""
    if incoming.respond is not None and incoming.respond.response_url:
        await _respond(services, incoming.respond.response_url, message)
        return
    try:
        await services.platform.post_ephemeral(incoming.client, channel, incoming.user_id, message)
    except SendFailed as failure:
        log.warning("ephemeral reply to %s not posted: %s", incoming.user_id, failure.reason)


async def _respond(services: SlackServices, url: str, message: blocks.SlackMessage) -> None:
    try:
        response = await services.respond(
            url,
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
