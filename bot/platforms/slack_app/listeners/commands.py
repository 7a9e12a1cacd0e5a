"""``/drill [sub-command]``: acknowledged at once, then run through the core's command grammar.

Admin status comes from ``users.info`` (workspace admin or owner) or ``DRILLBOT_SLACK_ADMINS``.
"""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncApp

from bot.core.services import commands
from bot.platforms.slack_app.fields import text
from bot.platforms.slack_app.listeners import replies
from bot.platforms.slack_app.services import Incoming, SlackServices

log = logging.getLogger(__name__)
COMMAND = "/drill"


async def on_drill(services: SlackServices, incoming: Incoming) -> None:
    await incoming.ack()  # within Slack's 3 seconds; the work happens after
    body = incoming.body
    channel, user = text(body.get("channel_id")), text(body.get("user_id"))
    if not channel or not user:
        log.warning("a /drill request without channel_id or user_id was ignored")
        return
    actor = await services.actor(incoming, user)
    line = commands.from_drill_command(text(body.get("text")))
    request_key = text(body.get("trigger_id")) or f"{channel}:{user}:{services.clock().isoformat()}"
    reply = await commands.handle_command(
        services.core, actor, incoming.place(channel), line, request_key, services.clock()
    )
    await replies.show(services, incoming, channel, reply, request_key)


def register(app: AsyncApp, services: SlackServices) -> None:
    app.command(COMMAND)(services.listener(on_drill))
