"""The App Home tab: the member's summary (``views.publish``) and a button for a drill now."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.core.cards import refuse
from bot.core.services import commands, home
from bot.platforms.slack_app import views
from bot.platforms.slack_app.listeners.answers import open_modal
from bot.platforms.slack_app.services import Incoming, SlackServices


async def on_home_opened(services: SlackServices, incoming: Incoming) -> None:
    event = incoming.body.get("event") or {}
    if event.get("tab") != "home" or not event.get("user"):
        return
    actor = await services.actor(incoming, str(event["user"]))
    summary = await home.home_summary(services.core, actor, services.clock())
    await incoming.client.views_publish(user_id=actor.user_ref, view=views.home_view(summary))


async def on_home_drill(services: SlackServices, incoming: Incoming) -> None:
    """An on-demand drill in the channel the Home tab named, straight into an answer modal."""
    await incoming.ack()
    channel = str(incoming.action.get("value") or "")
    actor = await services.actor(incoming)
    request_key = str(incoming.body.get("trigger_id") or "")
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
