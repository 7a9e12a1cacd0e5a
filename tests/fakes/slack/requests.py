"""What Slack sends to an app: HTTP-mode requests (signed) and Socket Mode envelopes.

Each builder returns a :class:`SlackPayload`; turn it into a signed HTTP request with
``.signed(secret, ...)`` or into a Socket Mode envelope with ``.envelope()`` (or hand it to
``FakeSlack.socket_send_payload``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlencode

from tests.fakes.slack import defaults
from tests.fakes.slack.events import (
    app_home_opened_event,
    message_changed_event,
    message_deleted_event,
    message_event,
)
from tests.fakes.slack.models import JSON
from tests.fakes.slack.templates import new_event_id, new_trigger_id, new_ts, template

EnvelopeType = Literal["events_api", "slash_commands", "interactive"]
Signature = Literal["valid", "wrong", "missing"]
STALE_SECONDS = 6 * 60  # bolt rejects timestamps more than 5 minutes away

__all__ = [
    "HttpRequest",
    "SlackPayload",
    "app_home_opened_event",
    "block_actions",
    "event_callback",
    "message_changed_event",
    "message_deleted_event",
    "message_event",
    "sign",
    "slash_command",
    "socket_envelope",
    "view_submission",
]


def sign(body: str, signing_secret: str, timestamp: int) -> str:
    """Slack's v0 request signature of ``body``."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class HttpRequest:
    """A ready-to-POST request: ``session.post(url, data=req.body, headers=req.headers)``."""

    body: str
    headers: dict[str, str]


@dataclass(frozen=True)
class SlackPayload:
    """One thing Slack delivers to an app, independent of transport."""

    envelope_type: EnvelopeType
    data: JSON

    @property
    def content_type(self) -> str:
        if self.envelope_type == "events_api":
            return "application/json"
        return "application/x-www-form-urlencoded"

    def http_body(self) -> str:
        if self.envelope_type == "events_api":
            return json.dumps(self.data)
        if self.envelope_type == "slash_commands":
            return urlencode(self.data)
        return urlencode({"payload": json.dumps(self.data)})

    def signed(
        self,
        signing_secret: str = defaults.SIGNING_SECRET,
        *,
        signature: Signature = "valid",
        stale: bool = False,
        timestamp: int | None = None,
        retry_num: int | None = None,
        retry_reason: str | None = None,
    ) -> HttpRequest:
        """The HTTP-mode request; ``signature``/``stale`` make it fail verification."""
        body = self.http_body()
        ts = timestamp if timestamp is not None else int(time.time())
        if stale:
            ts -= STALE_SECONDS
        headers = {"Content-Type": self.content_type, "X-Slack-Request-Timestamp": str(ts)}
        if signature != "missing":
            secret = signing_secret if signature == "valid" else "not-" + signing_secret
            headers["X-Slack-Signature"] = sign(body, secret, ts)
        if retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(retry_num)
            headers["X-Slack-Retry-Reason"] = retry_reason or "http_timeout"
        return HttpRequest(body=body, headers=headers)

    def envelope(
        self,
        envelope_id: str | None = None,
        *,
        retry_attempt: int | None = None,
        retry_reason: str | None = None,
    ) -> JSON:
        """The same payload as a Socket Mode envelope."""
        return socket_envelope(
            self.envelope_type,
            self.data,
            envelope_id=envelope_id,
            retry_attempt=retry_attempt,
            retry_reason=retry_reason,
        )


def socket_envelope(
    envelope_type: str,
    payload: JSON,
    *,
    envelope_id: str | None = None,
    retry_attempt: int | None = None,
    retry_reason: str | None = None,
    accepts_response_payload: bool | None = None,
) -> JSON:
    """Wrap ``payload`` the way Slack's Socket Mode server does."""
    if accepts_response_payload is None:
        accepts_response_payload = envelope_type == "slash_commands" or payload.get("type") in {
            "view_submission",
            "block_suggestion",
        }
    envelope: JSON = {
        "envelope_id": envelope_id or str(uuid.uuid4()),
        "payload": payload,
        "type": envelope_type,
        "accepts_response_payload": accepts_response_payload,
    }
    if envelope_type == "events_api":
        envelope.update(retry_attempt=retry_attempt or 0, retry_reason=retry_reason or "")
    return envelope


def slash_command(
    command: str = "/drill",
    text: str = "",
    *,
    user_id: str = defaults.USER_ID,
    user_name: str = defaults.USER_NAME,
    channel_id: str = defaults.CHANNEL_ID,
    channel_name: str = defaults.CHANNEL_NAME,
    team_id: str = defaults.TEAM_ID,
    trigger_id: str | None = None,
    response_url: str | None = None,
) -> SlackPayload:
    """A slash command invocation (form fields, all strings)."""
    data = template("slash_command")
    data.update(
        command=command,
        text=text,
        user_id=user_id,
        user_name=user_name,
        channel_id=channel_id,
        channel_name=channel_name,
        team_id=team_id,
        trigger_id=trigger_id or new_trigger_id(),
    )
    if response_url is not None:
        data["response_url"] = response_url
    return SlackPayload("slash_commands", data)


def event_callback(
    event: JSON,
    *,
    event_id: str | None = None,
    team_id: str = defaults.TEAM_ID,
    bot_user_id: str = defaults.BOT_USER_ID,
    event_time: int | None = None,
) -> SlackPayload:
    """An Events API ``event_callback`` wrapping ``event`` (see the ``*_event`` builders)."""
    data = template("event_callback")
    data.update(
        event=event,
        team_id=team_id,
        context_team_id=team_id,
        event_id=event_id or new_event_id(),
        event_time=event_time or int(time.time()),
    )
    data["authorizations"][0].update(team_id=team_id, user_id=bot_user_id)
    return SlackPayload("events_api", data)


def block_actions(
    action_id: str,
    value: str = "",
    *,
    user_id: str = defaults.USER_ID,
    channel_id: str = defaults.CHANNEL_ID,
    message_ts: str | None = None,
    container: JSON | None = None,
    block_id: str = "drill",
    view: JSON | None = None,
    response_url: str | None = None,
    message: JSON | None = None,
    team_id: str = defaults.TEAM_ID,
) -> SlackPayload:
    """A button click. In a message by default; pass ``view`` for a click in a modal/home tab."""
    data = template("block_actions")
    _set_actor(data, user_id, team_id)
    data["trigger_id"] = new_trigger_id()
    action = data["actions"][0]
    action.update(action_id=action_id, value=value, block_id=block_id, action_ts=new_ts())
    if view is not None:
        for key in ("channel", "message", "response_url"):
            del data[key]
        data.update(view=view, container={"type": "view", "view_id": view.get("id")})
    else:
        ts = message_ts or new_ts()
        data["channel"]["id"] = channel_id
        data["message"].update(message or {}, ts=ts)
        data["container"].update(message_ts=ts, channel_id=channel_id)
        if response_url is not None:
            data["response_url"] = response_url
    if container is not None:
        data["container"] = container
    return SlackPayload("interactive", data)


def _set_actor(data: JSON, user_id: str, team_id: str) -> None:
    data["user"].update(id=user_id, team_id=team_id)
    data["team"]["id"] = team_id


def _state_values(values: dict[str, dict[str, Any]]) -> JSON:
    """``{"block": {"action": "text"}}`` shorthand -> Slack's ``state.values`` shape."""
    out: JSON = {}
    for block_id, actions in values.items():
        out[block_id] = {
            action_id: v if isinstance(v, dict) else {"type": "plain_text_input", "value": v}
            for action_id, v in actions.items()
        }
    return out


def view_submission(
    callback_id: str,
    private_metadata: str = "",
    values: dict[str, dict[str, Any]] | None = None,
    *,
    user_id: str = defaults.USER_ID,
    view_id: str | None = None,
    blocks: list[JSON] | None = None,
    team_id: str = defaults.TEAM_ID,
) -> SlackPayload:
    """A modal submitted; ``values`` may use ``{"block": {"action": "text"}}`` shorthand."""
    data = template("view_submission")
    _set_actor(data, user_id, team_id)
    data["view"].update(team_id=team_id, app_installed_team_id=team_id)
    data["trigger_id"] = new_trigger_id()
    view = data["view"]
    view.update(callback_id=callback_id, private_metadata=private_metadata)
    if values is not None:
        view["state"] = {"values": _state_values(values)}
    if blocks is not None:
        view["blocks"] = blocks
    if view_id is not None:
        view.update(id=view_id, root_view_id=view_id)
    return SlackPayload("interactive", data)
