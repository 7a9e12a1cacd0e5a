"""On-demand and blind drills are answered in a modal: the drill's Answer button opens it, and the
submission answers the round in ``private_metadata``; the modal then shows the member's private
receipt (an on-demand drill's reveal)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bot.core.cards import DrillCard, Reply, ResultsCard, refuse
from bot.core.render import render_text
from bot.core.services import blind
from bot.platforms.slack_app import blocks, refs, views
from bot.platforms.slack_app.failures import TRANSPORT_ERRORS, error_code
from bot.platforms.slack_app.fields import number, obj, text
from bot.platforms.slack_app.services import Incoming, SlackServices

log = logging.getLogger(__name__)
STALE = "This form is out of date; nothing was recorded. Ask for a new drill with /drill."


async def open_modal(services: SlackServices, incoming: Incoming, reply: Reply) -> None:
    """The drill in an answer modal; a refusal in a small notice modal."""
    card = reply.card
    view = (
        views.answer_modal(card)
        if isinstance(card, DrillCard)
        else views.notice_modal(render_text(card))
    )
    try:
        await incoming.client.views_open(
            trigger_id=text(incoming.body.get("trigger_id")), view=view
        )
    except SlackApiError as error:  # an expired trigger (3 s), a closed client
        log.warning("views.open for %s failed: %s", incoming.user_id, error_code(error))
    except TRANSPORT_ERRORS as error:
        log.warning("views.open for %s failed: %s", incoming.user_id, type(error).__name__)


async def on_answer_button(services: SlackServices, incoming: Incoming) -> None:
    await incoming.ack()
    round_id = incoming.action_number
    actor = await services.actor(incoming)
    if round_id is None:
        reply = refuse("That button is out of date; ask for a drill with /drill.")
    else:
        reply = await blind.drill_to_answer(services.core, actor, round_id, services.clock())
    await open_modal(services, incoming, reply)


def submitted_text(view: dict[str, Any]) -> str:
    values = obj(obj(view.get("state")).get("values"))
    field = obj(obj(values.get(views.ANSWER_BLOCK)).get(views.ANSWER_INPUT))
    return text(field.get("value"))


async def on_answer_submitted(services: SlackServices, incoming: Incoming) -> None:
    view = obj(incoming.body.get("view"))
    answer, round_id = submitted_text(view), number(view.get("private_metadata"))
    if not answer.strip():
        await incoming.ack(
            response_action="errors", errors={views.ANSWER_BLOCK: "Write an answer first."}
        )
        return
    if round_id is None or not text(view.get("id")):
        await incoming.ack(response_action="update", view=views.notice_modal(STALE))
        return
    actor = await services.actor(incoming)
    ref = refs.modal_ref(text(view.get("id")))
    reply = await blind.answer_round(services.core, actor, round_id, ref, answer, services.clock())
    await incoming.ack(response_action="update", view=after_answer(reply))


def after_answer(reply: Reply) -> views.View:
    """The receipt in the modal: an on-demand drill's reveal, or the words of the receipt."""
    if isinstance(reply.card, ResultsCard):
        return views.reveal_modal(reply.card, reply.notes)
    return views.notice_modal(render_text(reply.card))


def register(app: AsyncApp, services: SlackServices) -> None:
    app.action(blocks.ANSWER_ACTION)(services.listener(on_answer_button))
    app.view(views.ANSWER_CALLBACK)(services.listener(on_answer_submitted))
