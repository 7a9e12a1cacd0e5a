"""The Review button under each answer: it opens the rubric in a modal, and the submission saves
the member's review of that answer.

A refused click (their own answer, a closed round) is told ephemerally as vote refusals are. The
modal's ticket names the answer and where it was clicked; a submission whose ticket is malformed
or names another workspace changes nothing, and the core refuses an answer outside the ticket's
channel. A saved review closes the modal and is confirmed ephemerally in the drill's thread;
a refusal replaces the modal with a notice, so it never reaches a channel the ticket only names.
"""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bot.core.cards import Reply
from bot.core.ports import SendFailed
from bot.core.render import render_text
from bot.core.services import reviews
from bot.platforms.slack_app import blocks, review_form, views
from bot.platforms.slack_app.failures import TRANSPORT_ERRORS, error_code
from bot.platforms.slack_app.fields import obj, text
from bot.platforms.slack_app.listeners.votes import action_channel, action_thread, tell
from bot.platforms.slack_app.review_form import Ticket
from bot.platforms.slack_app.services import Incoming, SlackServices

log = logging.getLogger(__name__)
OUT_OF_DATE = "That review button is out of date; nothing was recorded."
NOT_OPENED = "Couldn't open the review form: please click Review again."
STALE = "This review form is out of date or not from this workspace; nothing was recorded."


async def on_review_button(services: SlackServices, incoming: Incoming) -> None:
    await incoming.ack()
    answer_id, channel = incoming.action_number, action_channel(incoming.body)
    if answer_id is None:
        await tell(services, incoming, blocks.notice(OUT_OF_DATE))
        return
    actor = await services.actor(incoming)
    place, now = incoming.place(channel), services.clock()
    form = await reviews.review_form(services.core, actor, place, answer_id, now)
    if isinstance(form, Reply):
        await tell(services, incoming, blocks.render(form.card))
        return
    ticket = Ticket(answer_id, channel, incoming.team_id, action_thread(incoming.body))
    if not await _open(incoming, review_form.review_modal(form, ticket)):
        await tell(services, incoming, blocks.notice(NOT_OPENED))


async def _open(incoming: Incoming, view: views.View) -> bool:
    """``views.open`` with the click's trigger; False (logged) when Slack would not open it."""
    try:
        await incoming.client.views_open(
            trigger_id=text(incoming.body.get("trigger_id")), view=view
        )
    except SlackApiError as error:  # an expired trigger (3 s), a closed client
        log.warning("review views.open for %s failed: %s", incoming.user_id, error_code(error))
        return False
    except TRANSPORT_ERRORS as error:
        log.warning("review views.open for %s failed: %s", incoming.user_id, type(error).__name__)
        return False
    return True


async def on_review_submitted(services: SlackServices, incoming: Incoming) -> None:
    view = obj(incoming.body.get("view"))
    ticket = review_form.parse_ticket(view.get("private_metadata"))
    if ticket is None or ticket.team != incoming.team_id:
        await incoming.ack(response_action="update", view=views.notice_modal(STALE))
        return
    ticks = review_form.submitted(view)
    if isinstance(ticks, dict):
        await incoming.ack(response_action="errors", errors=ticks)
        return
    actor = await services.actor(incoming)
    place, now = incoming.place(ticket.channel), services.clock()
    reply = await reviews.submit_review(services.core, actor, place, ticket.answer_id, ticks, now)
    if not reply.ok:
        await incoming.ack(
            response_action="update", view=views.notice_modal(render_text(reply.card))
        )
        return
    await incoming.ack()
    await _confirm(services, incoming, ticket, reply)


async def _confirm(
    services: SlackServices, incoming: Incoming, ticket: Ticket, reply: Reply
) -> None:
    """The saved review, ephemerally in the drill's thread; in a small modal if that fails."""
    message = blocks.render(reply.card)
    try:
        await services.platform.post_ephemeral(
            incoming.client, ticket.channel, incoming.user_id, message, ticket.thread_ts
        )
    except SendFailed as failure:
        log.warning("review receipt to %s not posted: %s", incoming.user_id, failure.reason)
        await _open(incoming, views.notice_modal(render_text(reply.card)))


def register(app: AsyncApp, services: SlackServices) -> None:
    app.action(blocks.REVIEW_ACTION)(services.listener(on_review_button))
    app.view(review_form.CALLBACK)(services.listener(on_review_submitted))
