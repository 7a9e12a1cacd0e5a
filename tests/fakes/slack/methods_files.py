"""Slack's external file upload, as ``files_upload_v2`` drives it: ``files.getUploadURLExternal``
hands out an upload URL, the client POSTs the bytes there, and ``files.completeUploadExternal``
shares the file into a conversation (with ``initial_comment`` as the message beside it)."""

from __future__ import annotations

from collections.abc import Callable

from tests.fakes.slack.api_request import ApiRequest
from tests.fakes.slack.models import JSON, ApiError, Message, Upload
from tests.fakes.slack.workspace import Workspace

SCOPE = "files:write"


def _needs_scope(req: ApiRequest) -> None:
    scopes = req.bot_token.scopes.split(",")
    if SCOPE not in scopes:
        raise ApiError("missing_scope", needed=SCOPE, provided=",".join(scopes))


def files_get_upload_url_external(ws: Workspace, req: ApiRequest) -> JSON:
    _needs_scope(req)
    filename = req.required("filename")
    length = req.required("length")
    if not length.isdigit() or int(length) == 0:
        raise ApiError("invalid_length")
    file_id = ws.ids.new("F")
    ws.uploads[file_id] = Upload(file_id, filename, int(length), req.opt("alt_txt"))
    return {"ok": True, "upload_url": f"{ws.upload_base}/upload/{file_id}", "file_id": file_id}


def _uploaded(ws: Workspace, entry: JSON) -> Upload:
    upload = ws.uploads.get(str(entry.get("id")))
    if upload is None or upload.data is None:
        raise ApiError("file_not_found")
    if len(upload.data) != upload.length:
        raise ApiError("file_upload_size_mismatch")
    upload.title = str(entry.get("title") or upload.filename)
    return upload


def files_complete_upload_external(ws: Workspace, req: ApiRequest) -> JSON:
    _needs_scope(req)
    uploads = [_uploaded(ws, entry) for entry in req.list_of("files")]
    if not uploads:
        raise ApiError("invalid_arguments")
    channel_id = req.opt("channel_id")
    if channel_id:
        channel = ws.resolve_channel(channel_id)
        if channel is None:
            raise ApiError("channel_not_found")
        comment = req.opt("initial_comment") or ""
        ts = ws.clock.next()
        message = Message(channel.id, ts, comment, ws.bot_user_id, ws.team_id, ws.bot_id, ws.app_id)
        ws.append_message(message)
        for upload in uploads:
            upload.channel, upload.initial_comment = channel.id, comment
    return {"ok": True, "files": [{"id": u.file_id, "title": u.title} for u in uploads]}


FILE_METHODS: dict[str, Callable[[Workspace, ApiRequest], JSON]] = {
    "files.getUploadURLExternal": files_get_upload_url_external,
    "files.completeUploadExternal": files_complete_upload_external,
}
