"""Finding Drillbot's own posts again: every post carries its idempotency key in Slack message
metadata, and a post whose sending outcome is unknown is looked up by that key before it is sent
again (``conversations.history``, or ``conversations.replies`` in a thread, ``include_all_metadata``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.platforms.slack_app.failures import (
    TRANSPORT_ERRORS,
    error_code,
    from_api_error,
    from_transport_error,
)

EVENT_TYPE = "drillbot_post"
PAGE = 200  # messages per page
MAX_PAGES = 5  # a post is looked for among the 1,000 messages after its claim
NOTHING_THERE = frozenset({"not_in_channel", "channel_not_found", "thread_not_found"})
Message = dict[str, Any]


def metadata(key: str) -> dict[str, Any]:
    """What ``chat.postMessage`` carries so the post can be found by its key."""
    return {"event_type": EVENT_TYPE, "event_payload": {"key": key}}


def carries(message: Message, key: str, bot_id: str | None) -> bool:
    """Posted by this bot (when its id is known) under ``key``."""
    found = message.get("metadata")
    payload = found.get("event_payload") if isinstance(found, dict) else None
    if not isinstance(payload, dict) or found.get("event_type") != EVENT_TYPE:  # type: ignore[union-attr]
        return False
    mine = message.get("bot_id") == bot_id if bot_id else bool(message.get("bot_id"))
    return mine and payload.get("key") == key


async def find(
    client: AsyncWebClient,
    where: tuple[str, str | None],
    key: str,
    since: datetime,
    bot_id: str | None,
) -> str | None:
    """The ts of the message posted under ``key`` since ``since`` in a channel (or a thread of
    it), if there is one."""
    async for message in messages(client, where[0], where[1], since):
        if carries(message, key, bot_id):
            return str(message.get("ts"))
    return None


async def messages(
    client: AsyncWebClient, channel: str, thread_ts: str | None, since: datetime
) -> AsyncIterator[Message]:
    """Messages since ``since`` in a channel (or one thread), page by page, metadata included."""
    cursor: str | None = None
    for _ in range(MAX_PAGES):
        response = await _page(client, channel, thread_ts, since, cursor)
        for message in response.get("messages") or []:
            if isinstance(message, dict):
                yield message
        cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            return


async def _page(
    client: AsyncWebClient,
    channel: str,
    thread_ts: str | None,
    since: datetime,
    cursor: str | None,
) -> Any:
    params: dict[str, Any] = dict(
        channel=channel,
        oldest=f"{since.timestamp():.6f}",
        include_all_metadata=True,
        limit=PAGE,
        cursor=cursor,
    )
    try:
        if thread_ts is None:
            return await client.conversations_history(**params)
        return await client.conversations_replies(ts=thread_ts, **params)
    except SlackApiError as error:
        if error_code(error) in NOTHING_THERE:  # the bot cannot have posted there
            return {"messages": []}
        raise from_api_error(error, channel) from error
    except TRANSPORT_ERRORS as error:
        raise from_transport_error(error) from error


async def bot_id_of(client: AsyncWebClient) -> str | None:
    """The bot's own id (``auth.test``); None if Slack cannot say."""
    try:
        response = await client.auth_test()
    except (SlackApiError, *TRANSPORT_ERRORS):
        return None
    return str(response.get("bot_id") or "") or None


def from_a_member(message: Message, thread_ts: str) -> bool:
    """A person's reply in the thread: not its parent, not a bot's message."""
    bot = message.get("bot_id") or message.get("subtype") == "bot_message"
    ts, user = message.get("ts"), message.get("user")
    return not bot and bool(user) and bool(ts) and str(ts) != thread_ts


async def member_replies(
    client: AsyncWebClient, channel: str, thread_ts: str, since: datetime
) -> list[Message]:
    """People's replies in one thread since ``since``, oldest first."""
    found = [m async for m in messages(client, channel, thread_ts, since)]
    replies = [m for m in found if from_a_member(m, thread_ts)]
    return sorted(replies, key=lambda m: float(str(m.get("ts") or 0)))
