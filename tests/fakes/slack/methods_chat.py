"""``chat.*`` Web API methods of the fake."""

from __future__ import annotations

from tests.fakes.slack.api_request import (
    ApiRequest,
    existing_channel,
    existing_user,
    postable_channel,
)
from tests.fakes.slack.models import JSON, ApiError, Ephemeral, Message
from tests.fakes.slack.validation import check_message
from tests.fakes.slack.workspace import Workspace


def _require_content(req: ApiRequest) -> None:
    if not (req.opt("text") or req.list_of("blocks") or req.list_of("attachments")):
        raise ApiError("no_text")


def _metadata(req: ApiRequest) -> JSON | None:
    """Message metadata: ``event_type`` (a string) and ``event_payload`` (an object)."""
    if "metadata" not in req.params or req.params["metadata"] in ("", None):
        return None
    metadata = req.obj("metadata")
    if metadata is None or not isinstance(metadata.get("event_type"), str):
        raise ApiError("invalid_metadata_format")
    if not isinstance(metadata.get("event_payload", {}), dict):
        raise ApiError("invalid_metadata_format")
    return metadata


def post_message(ws: Workspace, req: ApiRequest) -> JSON:
    channel = postable_channel(ws, req)
    _require_content(req)
    metadata = _metadata(req)
    ws.violations.extend(check_message(req.method, req.params))
    msg = Message(
        channel=channel.id,
        ts=ws.clock.next(),
        text=req.opt("text") or "",
        user=ws.bot_user_id,
        team=ws.team_id,
        bot_id=ws.bot_id,
        app_id=ws.app_id,
        blocks=req.list_of("blocks"),
        attachments=req.list_of("attachments"),
        thread_ts=req.opt("thread_ts"),
        metadata=metadata,
    )
    ws.append_message(msg)
    return {"ok": True, "channel": channel.id, "ts": msg.ts, "message": msg.to_api()}


def _own_message(ws: Workspace, req: ApiRequest, ts_param: str, forbidden: str) -> Message:
    channel = existing_channel(ws, req)
    msg = ws.find_message(channel.id, req.required(ts_param, "message_not_found"))
    if msg is None or msg.deleted:
        raise ApiError("message_not_found")
    if msg.bot_id != ws.bot_id:
        raise ApiError(forbidden)
    return msg


def update(ws: Workspace, req: ApiRequest) -> JSON:
    msg = _own_message(ws, req, "ts", "cant_update_message")
    _require_content(req)
    ws.violations.extend(check_message(req.method, req.params))
    msg.text = req.opt("text") or ""
    if "blocks" in req.params:
        msg.blocks = req.list_of("blocks")
    if "attachments" in req.params:
        msg.attachments = req.list_of("attachments")
    msg.edited_ts = ws.clock.next()
    return {
        "ok": True,
        "channel": msg.channel,
        "ts": msg.ts,
        "text": msg.text,
        "message": msg.to_api(),
    }


def delete(ws: Workspace, req: ApiRequest) -> JSON:
    msg = _own_message(ws, req, "ts", "cant_delete_message")
    msg.deleted = True
    return {"ok": True, "channel": msg.channel, "ts": msg.ts}


def post_ephemeral(ws: Workspace, req: ApiRequest) -> JSON:
    channel = postable_channel(ws, req)
    user = existing_user(ws, req)
    _require_content(req)
    ws.violations.extend(check_message(req.method, req.params))
    ephemeral = Ephemeral(
        channel=channel.id,
        user=user,
        ts=ws.clock.next(),
        text=req.opt("text") or "",
        blocks=req.list_of("blocks"),
        thread_ts=req.opt("thread_ts"),
    )
    ws.ephemerals.append(ephemeral)
    return {"ok": True, "message_ts": ephemeral.ts}


def get_permalink(ws: Workspace, req: ApiRequest) -> JSON:
    channel = existing_channel(ws, req)
    msg = ws.find_message(channel.id, req.required("message_ts", "message_not_found"))
    if msg is None or msg.deleted:
        raise ApiError("message_not_found")
    link = f"https://{ws.team_domain}.slack.com/archives/{channel.id}/p{msg.ts.replace('.', '')}"
    if msg.thread_ts and msg.thread_ts != msg.ts:
        link += f"?thread_ts={msg.thread_ts}&cid={channel.id}"
    return {"ok": True, "channel": channel.id, "permalink": link}


CHAT_METHODS = {
    "chat.postMessage": post_message,
    "chat.update": update,
    "chat.delete": delete,
    "chat.postEphemeral": post_ephemeral,
    "chat.getPermalink": get_permalink,
}
