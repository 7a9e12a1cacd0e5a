"""``SlackPlatform``: the core's port on Slack, plus the paced posting the listeners share.

Every post goes through ``ChannelPacer`` (about one per second per channel) and a client that
paces each workspace (``WorkspacePacer``) and retries; what still fails becomes ``SendFailed``
(see ``failures``). Every post carries its idempotency key in message metadata, so a post whose
outcome is unknown is found and adopted (``find_posted``) instead of being posted twice; admins
hear of problems by DM (``alert_admins``).
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.core.cards import Card, DrillCard, FileCard, LeaderboardCard
from bot.core.ports import AdminAlert, Posted, SendFailed, ThreadReply
from bot.platforms.slack_app import blocks, history, refs
from bot.platforms.slack_app.clients import ClientSource
from bot.platforms.slack_app.failures import (
    TRANSPORT_ERRORS,
    error_code,
    from_api_error,
    from_transport_error,
    not_in_channel,
)
from bot.platforms.slack_app.members import MemberDirectory
from bot.platforms.slack_app.pacing import ChannelPacer

log = logging.getLogger(__name__)
Send = Callable[..., Awaitable[AsyncSlackResponse]]
TeamOf = Callable[[str], Awaitable[str | None]]
REMEMBERED_POSTS = 1_000
# Posts in flight at once. Slack paces chat.postMessage per channel (about one a second, which
# ``ChannelPacer`` keeps) and across the workspace (the clients' ``WorkspacePacer``, at
# DRILLBOT_SLACK_POST_RATE); a 429 still met holds the workspace's calls of that method for its
# Retry-After and is retried once by the SDK, then by the core's backoff.
SEND_LANES = 20
ALT_TEXT_CHARS = 1_000  # Slack's limit for a file's alt_txt


class SlackPlatform:
    """Posts cards; ``team_of`` finds a channel's workspace when tokens differ per workspace."""

    name = refs.PLATFORM

    def __init__(
        self,
        clients: ClientSource,
        pacer: ChannelPacer,
        team_of: TeamOf | None = None,
        members: MemberDirectory | None = None,
    ) -> None:
        self.clients = clients
        self.pacer = pacer
        self.members = members or MemberDirectory()
        self._team_of = team_of
        self._sent: OrderedDict[str, Posted] = OrderedDict()
        self._bot_ids: dict[str, str | None] = {}

    @property
    def send_lanes(self) -> int:
        """How many posts the core may hand over at once: they queue per channel here."""
        return SEND_LANES

    async def deliver(
        self, channel_ref: str, thread_ref: str | None, card: Card, idempotency_key: str
    ) -> Posted:
        """Post ``card``; a drill posted outside a thread opens its own thread (its ts)."""
        if idempotency_key in self._sent:  # sent, but the core did not get to record it
            return self._sent[idempotency_key]
        client = await self._client(channel_ref)
        thread = refs.split_ref(thread_ref)
        message = blocks.render(card)
        ts = await self.post(
            client, channel_ref, message, thread[1] if thread else None, idempotency_key
        )
        if isinstance(card, LeaderboardCard) and card.image is not None:
            await self._share_picture(client, channel_ref, card.image)
        posted = _posted(channel_ref, thread_ref, card, ts)
        self._remember(idempotency_key, posted)
        return posted

    async def find_posted(
        self, channel_ref: str, thread_ref: str | None, card: Card, key: str, since: datetime
    ) -> Posted | None:
        """The message an earlier attempt posted under ``key`` (its metadata), if any."""
        client = await self._client(channel_ref)
        thread = refs.split_ref(thread_ref)
        where = (channel_ref, thread[1] if thread else None)
        ts = await history.find(client, where, key, since, await self._bot_id(client))
        if ts is None:
            log.info("no earlier Slack post of %s in %s: posting it", key, channel_ref)
            return None
        return _posted(channel_ref, thread_ref, card, ts)

    async def thread_replies(
        self, space_ref: str, thread_ref: str, since: datetime
    ) -> list[ThreadReply]:
        """People's replies in a drill's thread, as the core's ``ThreadReply``."""
        where = refs.split_ref(thread_ref)
        if where is None:
            return []
        client = await self._client(where[0])
        found = await history.member_replies(client, where[0], where[1], since)
        return [await self._reply(client, space_ref, where[0], message) for message in found]

    async def _reply(
        self, client: AsyncWebClient, space_ref: str, channel: str, message: dict[str, Any]
    ) -> ThreadReply:
        author = await self.members.actor(client, space_ref, str(message["user"]))
        ts = str(message["ts"])
        text = refs.plain_text(str(message.get("text") or ""))
        return ThreadReply(author, refs.message_ref(channel, ts), text, _when(ts))

    async def alert_admins(self, space_ref: str, alert: AdminAlert) -> None:
        """A DM to whoever installed Drillbot and to ``DRILLBOT_SLACK_ADMINS`` (the App Home
        shows the problem too); ``SendFailed`` if nobody could be told."""
        client = await self.clients.for_team(space_ref or None)
        installer = await self.clients.installer(space_ref or None)
        people = sorted({*self.members.admins, *([installer] if installer else [])})
        if not people:
            log.warning("no Slack admin to tell (set DRILLBOT_SLACK_ADMINS): %s", alert.text)
            return
        told = [person for person in people if await self._dm(client, person, alert)]
        if not told:
            raise SendFailed(f"no admin could be told about {alert.problem}")

    async def _dm(self, client: AsyncWebClient, user: str, alert: AdminAlert) -> bool:
        try:
            await self.post(client, user, blocks.admin_alert(alert))
        except SendFailed as failure:
            log.warning("could not tell Slack user %s: %s", user, failure.reason)
            return False
        return True

    async def post(
        self,
        client: AsyncWebClient,
        channel: str,
        message: blocks.SlackMessage,
        thread_ts: str | None = None,
        key: str | None = None,
    ) -> str:
        """``chat.postMessage`` (with ``key`` in its metadata); the new message's ts."""
        fields = _fields(message, thread_ts=thread_ts)
        if key is not None:
            fields["metadata"] = history.metadata(key)
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

    async def _client(self, channel_ref: str) -> AsyncWebClient:
        team = await self._team_of(channel_ref) if self._team_of else None
        return await self.clients.for_team(team)

    async def _bot_id(self, client: AsyncWebClient) -> str | None:
        token = client.token or ""
        if token not in self._bot_ids:
            self._bot_ids[token] = await history.bot_id_of(client)
        return self._bot_ids[token]

    async def _share_picture(self, client: AsyncWebClient, channel: str, card: FileCard) -> None:
        """A post's picture, shared in the channel after its text; the text is already out, so a
        failed upload is logged rather than failing (and repeating) the post."""
        try:
            fields = _upload_fields(card, comment=False)  # the post above is its text
            await self._paced(client.files_upload_v2, channel, fields, channel)
        except (SlackApiError, SlackRequestError, *TRANSPORT_ERRORS) as error:
            log.warning("picture %s not shared in %s: %s", card.filename, channel, _reason(error))

    async def upload_to_member(self, client: AsyncWebClient, user: str, card: FileCard) -> str:
        """The file in a direct message with ``user`` (``conversations.open``, then
        ``files_upload_v2``: ``files.getUploadURLExternal``, the upload, and
        ``files.completeUploadExternal``); the DM's channel id."""
        try:
            opened = await client.conversations_open(users=user)
            channel = str(opened["channel"]["id"])
            await self._paced(client.files_upload_v2, channel, _upload_fields(card), channel)
        except SlackApiError as error:
            raise from_api_error(error, user) from error
        except SlackRequestError as error:
            raise SendFailed(f"the upload failed: {error}") from error
        except TRANSPORT_ERRORS as error:
            raise from_transport_error(error) from error
        return channel

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


def _posted(channel_ref: str, thread_ref: str | None, card: Card, ts: str) -> Posted:
    """A drill posted outside a thread opens its own thread, named by its ts."""
    opens = isinstance(card, DrillCard) and thread_ref is None
    return Posted(
        refs.message_ref(channel_ref, ts), refs.thread_ref(channel_ref, ts) if opens else None
    )


def _when(ts: str) -> datetime:
    """A Slack ts (seconds since the epoch, as text) as an aware datetime."""
    return datetime.fromtimestamp(float(ts), UTC)


def _fields(message: blocks.SlackMessage, **extra: str | None) -> dict[str, Any]:
    fields = message.fields()
    fields.update({name: value for name, value in extra.items() if value is not None})
    return fields


def _upload_fields(card: FileCard, comment: bool = True) -> dict[str, Any]:
    fields = {
        "file": card.data,
        "filename": card.filename,
        "title": card.filename,
        "alt_txt": card.alt_text[:ALT_TEXT_CHARS],
    }
    return fields | {"initial_comment": card.summary_text} if comment else fields


def _reason(error: BaseException) -> str:
    return error_code(error) if isinstance(error, SlackApiError) else type(error).__name__
