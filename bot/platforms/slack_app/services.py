"""What every listener gets: the core, the port, the member directory and the clock.

``SlackServices.listener`` turns a plain handler ``(services, incoming)`` into a bolt listener that
is tracked until it finishes (so ``stop`` can wait for it), never raises into bolt, acknowledges
if the handler could not, and releases the event's claim when it failed. A member whose action
met a locked or unreachable database is told so privately (never silence).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from aiohttp import ClientSession
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook import WebhookResponse
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.core.errors import StorageUnavailable
from bot.core.model import Actor, Place
from bot.core.ports import SendFailed
from bot.core.services.context import Core
from bot.core.services.requests import EventClaims
from bot.platforms.slack_app.blocks import notice
from bot.platforms.slack_app.dedupe import event_id_of
from bot.platforms.slack_app.failures import TRANSPORT_ERRORS
from bot.platforms.slack_app.fields import number, obj, text
from bot.platforms.slack_app.members import MemberDirectory
from bot.platforms.slack_app.platform import SlackPlatform
from bot.platforms.slack_app.refs import PLATFORM
from bot.platforms.tasks import drain

log = logging.getLogger(__name__)
UNAVAILABLE = (
    "Drillbot couldn't reach its records, so nothing was saved: please try again in a minute."
)


@dataclass(frozen=True)
class Incoming:
    """One request from Slack, as the handlers see it."""

    body: dict[str, Any]
    client: AsyncWebClient
    ack: AsyncAck
    respond: AsyncRespond | None  # None for events: they carry no response_url
    team_id: str

    @property
    def user_id(self) -> str:
        user = self.body.get("user")
        return text(user.get("id") if isinstance(user, dict) else self.body.get("user_id"))

    @property
    def action(self) -> dict[str, Any]:
        """The first action of a ``block_actions`` request ({} if there is none)."""
        actions = self.body.get("actions")
        first = actions[0] if isinstance(actions, list) and actions else {}
        return first if isinstance(first, dict) else {}

    @property
    def action_number(self) -> int | None:
        """The clicked button's value as a number (an answer or round id), if it is one."""
        return number(self.action.get("value"))

    def place(self, channel: str, thread_ref: str | None = None) -> Place:
        return Place(PLATFORM, self.team_id, channel, thread_ref)


Handler = Callable[["SlackServices", Incoming], Awaitable[None]]
Listener = Callable[..., Awaitable[None]]


@dataclass
class SlackServices:
    core: Core
    platform: SlackPlatform
    members: MemberDirectory
    claims: EventClaims
    clock: Callable[[], datetime]
    tasks: set[asyncio.Task[Any]] = field(default_factory=set)
    session: ClientSession | None = None  # the runtime's shared HTTP session, once started

    async def actor(self, incoming: Incoming, user_id: str | None = None) -> Actor:
        user = user_id or incoming.user_id
        return await self.members.actor(incoming.client, incoming.team_id, user)

    async def respond(self, response_url: str, **message: Any) -> WebhookResponse:
        """POST ``message`` to a request's ``response_url`` through the shared session (Bolt's
        ``respond`` opens a new session, and so a new connection, for every reply)."""
        return await AsyncWebhookClient(response_url, session=self.session).send(**message)

    def listener(self, handler: Handler) -> Listener:
        async def listener(
            ack: AsyncAck,
            body: dict[str, Any],
            client: AsyncWebClient,
            respond: AsyncRespond | None,
            context: AsyncBoltContext,
        ) -> None:
            team = text(context.team_id) or _team_of(body)
            await self._run(handler, Incoming(body, client, ack, respond, team))

        listener.__name__ = handler.__name__
        return listener

    async def _run(self, handler: Handler, incoming: Incoming) -> None:
        task = asyncio.current_task()
        if task is not None:
            self.tasks.add(task)
        try:
            await handler(self, incoming)
        except StorageUnavailable as error:
            log.warning(
                "Slack listener %s: the database is unavailable (%s)", _name(handler), error
            )
            await self._after_failure(incoming)
            await self._apologise(incoming)
        except Exception:
            log.exception("Slack listener %s failed", _name(handler))
            await self._after_failure(incoming)
        finally:
            if task is not None:
                self.tasks.discard(task)

    async def _after_failure(self, incoming: Incoming) -> None:
        try:
            if incoming.ack.response is None:
                await incoming.ack()
            event_id = event_id_of(incoming.body)
            if event_id is not None:
                await self.claims.release(event_id)
        except Exception:
            log.exception("cleaning up after a failed Slack listener failed too")

    async def _apologise(self, incoming: Incoming) -> None:
        """Tell the member nothing was saved: through the request's ``response_url``, else an
        ephemeral message where they acted (a thread reply's thread)."""
        try:
            if incoming.respond is not None and incoming.respond.response_url:
                await self.respond(
                    incoming.respond.response_url,
                    text=UNAVAILABLE,
                    response_type="ephemeral",
                    replace_original=False,
                )
                return
            where = _where_acted(incoming.body)
            if where is not None:
                channel, user, thread_ts = where
                message = notice(UNAVAILABLE)
                await self.platform.post_ephemeral(
                    incoming.client, channel, user, message, thread_ts
                )
        except (SendFailed, *TRANSPORT_ERRORS) as error:
            log.warning("could not tell a member their action was not saved: %s", error)

    async def idle(self, grace: float = 5.0) -> None:
        """Wait for running listeners (``stop`` and tests); cancel what outlives ``grace`` seconds."""
        for _ in range(3):
            await asyncio.sleep(0)  # listeners bolt scheduled a moment ago get to start
        await drain(self.tasks, grace, "Slack listener(s)")


def _team_of(body: dict[str, Any]) -> str:
    """The workspace of a request when bolt's context has none (it normally has)."""
    team, user = obj(body.get("team")), obj(body.get("user"))
    return text(team.get("id")) or text(body.get("team_id")) or text(user.get("team_id"))


def _name(handler: Handler) -> str:
    return str(getattr(handler, "__name__", handler))


def _where_acted(body: dict[str, Any]) -> tuple[str, str, str | None] | None:
    """Channel, user and thread of an event a member caused (a thread reply), if it has them."""
    event = obj(body.get("event"))
    channel, user, thread = (
        text(event.get("channel")),
        text(event.get("user")),
        event.get("thread_ts"),
    )
    if not channel or not user:
        return None
    return channel, user, text(thread) or None
