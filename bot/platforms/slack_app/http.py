"""HTTP mode's front door: bolt's aiohttp app with a guard in front of ``/slack/events`` and the
``/healthz`` endpoint. A request the guard lets through goes to bolt as the guard parsed it (bolt's
own aiohttp handler would parse the body a second time).

The guard answers what Slack would never send before any work is done and without a traceback:
a body over 1 MB gets 413; a missing or non-numeric ``X-Slack-Request-Timestamp``, a missing or
wrong signature, or a stale request gets 401; a signed body that is not UTF-8 or that bolt cannot
parse (bad JSON in ``payload``, a JSON body that is not an object) gets 400. Refusals are logged
as one summary line per kind at most every 10 seconds, never with the body.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.request import payload_utils
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.signature import SignatureVerifier

from bot.logs import Throttle
from bot.platforms.health import Health

log = logging.getLogger(__name__)
MAX_BODY = 1_000_000
MAX_TIMESTAMP_DIGITS = 12
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Dispatch = Callable[[AsyncBoltRequest], Awaitable[BoltResponse]]


@dataclass(frozen=True)
class Refusal:
    status: int
    kind: str
    why: str


class Guard:
    """An aiohttp middleware for one path: refuse malformed requests before bolt sees them, and
    hand the others to ``dispatch`` (bolt's ``async_dispatch``) as parsed here, when given."""

    def __init__(
        self,
        path: str,
        signing_secret: str,
        throttle: Throttle | None = None,
        dispatch: Dispatch | None = None,
    ) -> None:
        self.path = path
        self.verifier = SignatureVerifier(signing_secret)
        self.throttle = throttle or Throttle(log)
        self.dispatch = dispatch

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.method != "POST" or request.path != self.path:
            return await handler(request)
        checked = await self.check(request)
        if isinstance(checked, Refusal):
            return self._refuse(checked)
        if self.dispatch is None:
            return await handler(request)
        return await to_aiohttp_response(await self.dispatch(checked))

    def _refuse(self, refusal: Refusal) -> web.StreamResponse:
        self.throttle.warning(
            refusal.kind, f"refused a request to {self.path}: {refusal.why} (HTTP {refusal.status})"
        )
        return web.json_response({"error": refusal.why}, status=refusal.status)

    async def check(self, request: web.Request) -> Refusal | AsyncBoltRequest:
        """Why the request is refused, or the request as bolt reads it."""
        if (request.content_length or 0) > MAX_BODY:
            return Refusal(413, "oversized", "the body is over 1 MB")
        try:
            raw = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return Refusal(413, "oversized", "the body is over 1 MB")
        if len(raw) > MAX_BODY:
            return Refusal(413, "oversized", "the body is over 1 MB")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return Refusal(400, "unparseable", "the body is not UTF-8")
        return self._signed(request, text) or _parseable(request, text)

    def _signed(self, request: web.Request, raw: str) -> Refusal | None:
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        signature = request.headers.get("X-Slack-Signature")
        if not signature:
            return Refusal(401, "unsigned", "no X-Slack-Signature")
        if (
            not (timestamp.isascii() and timestamp.isdigit())
            or len(timestamp) > MAX_TIMESTAMP_DIGITS
        ):
            return Refusal(401, "bad timestamp", "X-Slack-Request-Timestamp is not a number")
        if not self.verifier.is_valid(raw, timestamp, signature):
            return Refusal(401, "bad signature", "the signature is wrong or the request is stale")
        return None


def _parseable(request: web.Request, text: str) -> Refusal | AsyncBoltRequest:
    """What bolt would fail on while building or routing its request: refused as malformed."""
    try:
        parsed = AsyncBoltRequest(body=text, query=request.query_string, headers=request.headers)  # type: ignore[arg-type]
    except Exception:  # bolt parses outsiders' text: any failure means a malformed request
        return Refusal(400, "unparseable", "the body cannot be parsed")
    if not isinstance(parsed.body, dict):
        return Refusal(400, "unparseable", "the body is not an object")
    wrong = shape_problem(parsed.body) or context_problem(parsed.context)
    return Refusal(400, "wrongly typed", wrong) if wrong else parsed


# Fields bolt reads while routing a request, with the types it assumes when they are present
# (Slack sends null only for the last few).
NULL = type(None)
SHAPES: dict[str, tuple[type, ...]] = {
    "event": (dict,),
    "authorizations": (list,),
    "actions": (list,),
    "view": (dict,),
    "type": (str,),
    "user": (dict, str),
    "container": (dict, NULL),
    "message": (dict, NULL),
    "team": (dict, str, NULL),
    "channel": (dict, str, NULL),
    "enterprise": (dict, str, NULL),
}


# What bolt extracts from every request before any listener runs (its kwargs): each must work.
EXTRACTORS = (
    payload_utils.to_options,
    payload_utils.to_shortcut,
    payload_utils.to_action,
    payload_utils.to_view,
    payload_utils.to_command,
    payload_utils.to_event,
    payload_utils.to_message,
    payload_utils.to_step,
)


# The ids bolt finds in a request and then uses (a client's team, where to respond): text only.
CONTEXT_IDS = (
    "enterprise_id",
    "team_id",
    "user_id",
    "actor_enterprise_id",
    "actor_team_id",
    "actor_user_id",
    "channel_id",
    "thread_ts",
    "function_execution_id",
    "response_url",
)


def context_problem(context: dict[str, Any]) -> str | None:
    """Why the ids bolt extracted from a request are unusable (not text), or None."""
    for name in CONTEXT_IDS:
        if context.get(name) is not None and not isinstance(context.get(name), str):
            return f"'{name}' is not text"
    return None


# What bolt's listener matchers look up without checking, per payload type: Slack always sends it.
CALLBACK_ID = (("callback_id",),)
REQUIRED: dict[str, tuple[tuple[str | int, ...], ...]] = {
    "event_callback": (("event", "type"),),
    "block_actions": (("actions", 0, "action_id"),),
    "view_submission": (("view", "callback_id"),),
    "view_closed": (("view", "callback_id"),),
    "block_suggestion": (("action_id",),),
    "shortcut": CALLBACK_ID,
    "message_action": CALLBACK_ID,
    "interactive_message": CALLBACK_ID,
    "dialog_submission": CALLBACK_ID,
    "dialog_cancellation": CALLBACK_ID,
    "dialog_suggestion": CALLBACK_ID,
    "workflow_step_edit": CALLBACK_ID,
}


def _at(value: Any, path: tuple[str | int, ...]) -> Any:
    for step in path:
        if isinstance(step, int):
            value = value[step] if isinstance(value, list) and len(value) > step else None
        else:
            value = value.get(step) if isinstance(value, dict) else None
    return value


def shape_problem(body: dict[str, Any]) -> str | None:
    """Why ``body`` is not shaped as Slack sends it (as bolt's own extractors see it), or None."""
    for name, types in SHAPES.items():
        if name in body and not isinstance(body[name], types):
            return f"'{name}' has the wrong type"
    if "command" in body and not isinstance(body["command"], str):
        return "'command' is not text"
    for path in REQUIRED.get(str(body.get("type")), ()):
        if not isinstance(_at(body, path), str):
            return f"'{'.'.join(map(str, path))}' is missing"
    try:
        for extract in EXTRACTORS:
            extract(body)
    except Exception:  # bolt assumes Slack's shapes; an outsider's other shapes stop here
        return "the payload is not shaped as Slack sends it"
    return None


def health_endpoint(health: Health) -> Handler:
    """``GET /healthz``: each platform's connection state as JSON; 200 when all are connected."""

    async def healthz(request: web.Request) -> web.StreamResponse:
        healthy, body = await health.report()
        return web.json_response(body, status=200 if healthy else 503)

    return healthz
