"""``SlackPlatform``: the core's port on Slack, plus the paced posting the listeners share.

Every post goes through ``ChannelPacer`` (about one per second per channel) and a client with
retry handlers; what still fails becomes ``SendFailed`` (see ``failures``).
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.core.cards import Card, DrillCard
from bot.core.ports import Posted
from bot.platforms.slack_app import blocks, refs
from bot.platforms.slack_app.clients import ClientSource
from bot.platforms.slack_app.failures import (
    TRANSPORT_ERRORS,
    error_code,
    from_api_error,
    from_transport_error,
    not_in_channel,
)
from bot.platforms.slack_app.pacing import ChannelPacer

log = logging.getLogger(__name__)
Send = Callable[..., Awaitable[AsyncSlackResponse]]
TeamOf = Callable[[str], Awaitable[str | None]]
REMEMBERED_POSTS = 1_000


class SlackPlatform:
    """Posts cards; ``team_of`` finds a channel's workspace when tokens differ per workspace."""

    name = refs.PLATFORM

    def __init__(
        self, clients: ClientSource, pacer: ChannelPacer, team_of: TeamOf | None = None
    ) -> None:
        self.clients = clients
        self.pacer = pacer
        self._team_of = team_of
        self._sent: OrderedDict[str, Posted] = OrderedDict()

    async def deliver(
        self, channel_ref: str, thread_ref: str | None, card: Card, idempotency_key: str
    ) -> Posted:
        """Post ``card``; a drill posted outside a thread opens its own thread (its ts)."""
        if idempotency_key in self._sent:  # sent, but the core did not get to record it
            return self._sent[idempotency_key]
        team = await self._team_of(channel_ref) if self._team_of else None
        client = await self.clients.for_team(team)
        thread = refs.split_ref(thread_ref)
        ts = await self.post(
            client, channel_ref, blocks.render(card), thread[1] if thread else None
        )
        opens = isinstance(card, DrillCard) and thread_ref is None
        posted = Posted(
            refs.message_ref(channel_ref, ts), refs.thread_ref(channel_ref, ts) if opens else None
        )
        self._remember(idempotency_key, posted)
        return posted

    async def post(
        self,
        client: AsyncWebClient,
        channel: str,
        message: blocks.SlackMessage,
        thread_ts: str | None = None,
    ) -> str:
        """``chat.postMessage``; the new message's ts."""
        fields = _fields(message, thread_ts=thread_ts)
        response = await self._call(client, client.chat_postMessage, channel, fields, channel)
        return str(response["ts"])

    async def post_ephemeral(
        self,
        client: AsyncWebClient,
        channel: str,
        user: str,
        message: blocks.SlackMessage,
        thread_ts: str | None = None,
    ) -> None:
        """``chat.postEphemeral``, paced per recipient: voters do not queue behind each other."""
        fields = _fields(message, user=user, thread_ts=thread_ts)
        await self._call(client, client.chat_postEphemeral, channel, fields, f"{channel}:{user}")

    async def _call(
        self, client: AsyncWebClient, send: Send, channel: str, fields: dict[str, Any], lane: str
    ) -> AsyncSlackResponse:
        """Send once; on ``not_in_channel`` join the channel once and send again."""
        try:
            return await self._paced(send, channel, fields, lane)
        except SlackApiError as error:
            if error_code(error) != "not_in_channel":
                raise from_api_error(error, channel) from error
        await self._join(client, channel)
        try:
            return await self._paced(send, channel, fields, lane)
        except SlackApiError as error:
            raise from_api_error(error, channel) from error

    async def _paced(
        self, send: Send, channel: str, fields: dict[str, Any], lane: str
    ) -> AsyncSlackResponse:
        async with self.pacer.turn(lane):
            try:
                return await send(channel=channel, **fields)
            except SlackApiError:
                raise
            except TRANSPORT_ERRORS as error:
                raise from_transport_error(error) from error

    async def _join(self, client: AsyncWebClient, channel: str) -> None:
        try:
            await client.conversations_join(channel=channel)
        except (SlackApiError, *TRANSPORT_ERRORS) as error:
            log.warning("cannot join Slack channel %s: %s", channel, _reason(error))
            raise not_in_channel(channel, await self._channel_name(client, channel)) from error
        log.info("joined Slack channel %s to post there", channel)

    async def _channel_name(self, client: AsyncWebClient, channel: str) -> str | None:
        try:
            info = await client.conversations_info(channel=channel)
        except (SlackApiError, *TRANSPORT_ERRORS):
            return None
        name = (info.get("channel") or {}).get("name")
        return str(name) if name else None

    def _remember(self, key: str, posted: Posted) -> None:
        self._sent[key] = posted
        while len(self._sent) > REMEMBERED_POSTS:
            self._sent.popitem(last=False)


def _fields(message: blocks.SlackMessage, **extra: str | None) -> dict[str, Any]:
    fields = message.fields()
    fields.update({name: value for name, value in extra.items() if value is not None})
    return fields


def _reason(error: BaseException) -> str:
    return error_code(error) if isinstance(error, SlackApiError) else type(error).__name__
