"""``conversations.history`` and ``conversations.replies`` of the fake, with Slack's paging and its
metadata rule: a message's ``metadata`` is returned only when ``include_all_metadata`` is set."""

from __future__ import annotations

import base64
import binascii

from tests.fakes.slack.api_request import ApiRequest, existing_channel
from tests.fakes.slack.models import JSON, ApiError, Message
from tests.fakes.slack.workspace import Workspace

DEFAULT_LIMIT = 100
MAX_LIMIT = 999


def history(ws: Workspace, req: ApiRequest) -> JSON:
    """Top-level messages (thread parents included, replies not), newest first."""
    channel = _readable(ws, req)
    found = [m for m in ws.messages(channel) if m.thread_ts in (None, m.ts)]
    return _page(req, sorted(_in_range(req, found), key=_ts, reverse=True))


def replies(ws: Workspace, req: ApiRequest) -> JSON:
    """A thread's parent and its replies, oldest first."""
    channel = _readable(ws, req)
    parent = ws.find_message(channel, req.required("ts", "thread_not_found"))
    if parent is None or parent.deleted:
        raise ApiError("thread_not_found")
    found = sorted(_in_range(req, ws.thread(channel, parent.ts)), key=_ts)
    return _page(req, [parent, *found])  # Slack shows the parent first, whatever the range


def _readable(ws: Workspace, req: ApiRequest) -> str:
    channel = existing_channel(ws, req)
    if not channel.is_im and not channel.bot_member:
        raise ApiError("not_in_channel")
    return channel.id


def _ts(message: Message) -> float:
    return float(message.ts)


def _in_range(req: ApiRequest, found: list[Message]) -> list[Message]:
    oldest, latest = float(req.opt("oldest") or 0), float(req.opt("latest") or "inf")
    inclusive = req.flag("inclusive")
    return [
        m
        for m in found
        if (oldest <= _ts(m) if inclusive else oldest < _ts(m))
        and (_ts(m) <= latest if inclusive else _ts(m) < latest)
    ]


def _page(req: ApiRequest, found: list[Message]) -> JSON:
    limit = min(int(req.opt("limit") or DEFAULT_LIMIT), MAX_LIMIT)
    start = _offset(req.opt("cursor"))
    page = found[start : start + limit]
    metadata = req.flag("include_all_metadata")
    more = start + limit < len(found)
    body: JSON = {
        "ok": True,
        "messages": [m.to_api(include_metadata=metadata) for m in page],
        "has_more": more,
        "response_metadata": {"next_cursor": _cursor(start + limit) if more else ""},
    }
    return body


def _cursor(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        kind, _, value = base64.b64decode(cursor).decode().partition(":")
        if kind != "offset":
            raise ValueError(kind)
        return int(value)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise ApiError("invalid_cursor") from exc


HISTORY_METHODS = {"conversations.history": history, "conversations.replies": replies}
