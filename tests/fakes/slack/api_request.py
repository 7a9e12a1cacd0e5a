"""What a Web API method handler receives, plus parameter helpers shared by the handlers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.slack.models import JSON, ApiError, Channel, Token
from tests.fakes.slack.workspace import Workspace

#: Parameters that arrive as JSON strings in form-encoded bodies and as objects in JSON bodies.
JSON_FIELDS = {
    "blocks": "invalid_blocks_format",
    "attachments": "invalid_attachments",
    "view": "invalid_arguments",
    "metadata": "invalid_metadata_format",
    "files": "invalid_arguments",
}


@dataclass(frozen=True)
class ApiRequest:
    method: str
    params: JSON
    token: Token | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def opt(self, name: str) -> str | None:
        value = self.params.get(name)
        return None if value is None or value == "" else str(value)

    def flag(self, name: str) -> bool:
        value = self.params.get(name)
        return value is True or str(value).lower() in {"1", "true"}

    def list_of(self, name: str) -> list[Any]:
        value = self.params.get(name)
        return value if isinstance(value, list) else []

    def obj(self, name: str) -> JSON | None:
        value = self.params.get(name)
        return value if isinstance(value, dict) else None

    def required(self, name: str, error: str = "invalid_arguments") -> str:
        value = self.opt(name)
        if value is None:
            raise ApiError(error)
        return value

    @property
    def bot_token(self) -> Token:
        assert self.token is not None, "handler needs an authenticated request"
        return self.token


def decode_json_fields(params: JSON) -> JSON:
    """Parse JSON-string fields of a form body (``blocks='[...]'``) into objects."""
    out = dict(params)
    for name, error in JSON_FIELDS.items():
        value = out.get(name)
        if isinstance(value, str) and value.strip():
            try:
                out[name] = json.loads(value)
            except json.JSONDecodeError as exc:
                raise ApiError(error) from exc
    return out


def existing_channel(ws: Workspace, req: ApiRequest, name: str = "channel") -> Channel:
    channel = ws.resolve_channel(req.required(name, "channel_not_found"))
    if channel is None:
        raise ApiError("channel_not_found")
    return channel


def postable_channel(ws: Workspace, req: ApiRequest) -> Channel:
    """The channel to post in, or the error Slack gives a bot that may not post there."""
    channel = existing_channel(ws, req)
    if channel.archived:
        raise ApiError("is_archived")
    if not channel.is_im and not channel.bot_member:
        raise ApiError("not_in_channel")
    return channel


def existing_user(ws: Workspace, req: ApiRequest, name: str = "user") -> str:
    user_id = req.required(name, "user_not_found")
    if ws.find_user(user_id) is None:
        raise ApiError("user_not_found")
    return user_id
