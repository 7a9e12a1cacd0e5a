"""The App Home tab: the member's summary (``views.publish``) and a button for a drill now."""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bot.core.cards import refuse
from bot.core.services import commands, home
from bot.platforms.slack_app import views
from bot.platforms.slack_app.failures import TRANSPORT_ERRORS, error_code
from bot.platforms.slack_app.fields import obj, text
from bot.platforms.slack_app.listeners.answers import open_modal
from bot.platforms.slack_app.services import Incoming, SlackServices

log = logging.getLogger(__name__)


async def on_home_opened(services: SlackServices, incoming: Incoming) -> None:
    event = obj(incoming.body.get("event"))
    user = text(event.get("user"))
    if event.get("tab") != "home" or not user:
        return
    actor = await services.actor(incoming, user)
    summary = await home.home_summary(services.core, actor, services.clock())
    try:
        await incoming.client.views_publish(user_id=actor.user_ref, view=views.home_view(summary))
    except SlackApiError as error:
        log.warning("views.publish for %s failed: %s", actor.user_ref, error_code(error))
    except TRANSPORT_ERRORS as error:
        log.warning("views.publish for %s failed: %s", actor.user_ref, type(error).__name__)


async def on_home_drill(services: SlackServices, incoming: Incoming) -> None:
    """An on-demand drill in the channel the Home tab named, straight into an answer modal."""
    await incoming.ack()
    channel = text(incoming.action.get("value"))
    actor = await services.actor(incoming)
    request_key = text(incoming.body.get("trigger_id"))
    if not channel or not request_key:
        reply = refuse("That button is out of date; reopen the Home tab.")
    else:
        reply = await commands.handle_command(
            services.core, actor, incoming.place(channel), "drill", request_key, services.clock()
        )
    await open_modal(services, incoming, reply)


def register(app: AsyncApp, services: SlackServices) -> None:
    app.event("app_home_opened")(services.listener(on_home_opened))
    app.action(views.HOME_DRILL_ACTION)(services.listener(on_home_drill))
