"""``FakeSlack``: a local, protocol-level Slack that real slack-sdk / slack-bolt clients talk to.

    async with FakeSlack() as fake:
        client = AsyncWebClient(token=fake.bot_token, base_url=fake.base_url)
        channel = fake.add_channel("drills")
        await client.chat_postMessage(channel=channel, text="hi")
        assert fake.messages(channel)[0].text == "hi"

One aiohttp server on 127.0.0.1 serves the Web API (``/api/<method>``), ``response_url``s
(``/response/<id>``) and the Socket Mode WebSocket (``/link/``).
"""

from __future__ import annotations

import asyncio
import json
import secrets
import traceback
from contextlib import AsyncExitStack
from types import TracebackType
from typing import Self, Unpack

from aiohttp import web

from tests.fakes.slack.api_request import ApiRequest, decode_json_fields
from tests.fakes.slack.faults import (
    Fault,
    Faults,
    LateAnswers,
    RateLimits,
    Reply,
    check_limits,
    default_status,
)
from tests.fakes.slack.methods import APP_TOKEN_METHODS, METHODS, NO_TOKEN_METHODS
from tests.fakes.slack.models import JSON, ApiError, Call, ResponseUrlPost, Token
from tests.fakes.slack.requests import SlackPayload
from tests.fakes.slack.server import serve
from tests.fakes.slack.socket_mode import SocketModeServer
from tests.fakes.slack.waiting import wait_until
from tests.fakes.slack.workspace import Workspace, WorkspaceOptions


class FakeSlack(Workspace, RateLimits):
    """Workspace state (see :class:`Workspace`) plus the HTTP/WebSocket server around it."""

    def __init__(self, **options: Unpack[WorkspaceOptions]) -> None:
        super().__init__(**options)
        self.calls: list[Call] = []
        self.errors: list[str] = []  # bugs inside the fake itself (answered with HTTP 500)
        self.socket = SocketModeServer(self.app_id)
        self._faults = Faults()
        self._late: list[LateAnswers] = []
        self._response_urls: set[str] = set()
        self._stack: AsyncExitStack | None = None
        self._url = ""

    # ----- lifecycle ------------------------------------------------------------------------

    async def __aenter__(self) -> Self:
        app = web.Application()
        app.add_routes(
            [
                web.route("*", "/api/{method}", self._handle_api),
                web.post("/response/{rid}", self._handle_response_url),
                web.post("/upload/{file_id}", self._handle_upload),
                *self.socket.routes(),
            ]
        )
        async with AsyncExitStack() as stack:
            served = await stack.enter_async_context(serve(app))
            self._stack = stack.pop_all()
        self._url = served.url
        self.upload_base = self._url
        self.socket.ws_base = self._url.replace("http://", "ws://", 1)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.socket.close()
        if self._stack is not None:
            await self._stack.aclose()

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (no trailing slash)."""
        assert self._url, "use FakeSlack as `async with FakeSlack() as fake:`"
        return self._url

    @property
    def base_url(self) -> str:
        """For ``AsyncWebClient(base_url=...)``: ``http://127.0.0.1:PORT/api/``."""
        return f"{self.url}/api/"

    def issue_socket_url(self) -> str:
        return self.socket.issue_url()

    # ----- recorded traffic -----------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for_call(self, method: str, *, count: int = 1, timeout: float = 2.0) -> Call:
        """The ``count``-th call to ``method`` once it has happened."""
        calls = await wait_until(
            lambda: self.calls_to(method)[count - 1 :],
            timeout=timeout,
            what=f"{count} call(s) to {method}",
        )
        return calls[0]

    def new_response_url(self) -> str:
        """A ``response_url`` served by the fake; POSTs to it land in ``fake.responses``."""
        url = f"{self.url}/response/{secrets.token_hex(8)}"
        self._response_urls.add(url)
        return url

    async def wait_for_response(self, *, count: int = 1, timeout: float = 2.0) -> ResponseUrlPost:
        posts = await wait_until(
            lambda: self.responses[count - 1 :],
            timeout=timeout,
            what=f"{count} response_url POST(s)",
        )
        return posts[0]

    # ----- fault injection ------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        error: str = "ratelimited",
        *,
        status: int | None = None,
        retry_after: int | None = 1,
        count: int = 1,
        needed: str | None = None,
        keep_closed: bool = False,
    ) -> None:
        """The next ``count`` calls to ``method`` fail with ``error``.

        ``ratelimited`` answers HTTP 429 with ``Retry-After`` (what slack-sdk's retry handler
        reads); with ``keep_closed`` every call of ``method`` is refused until that Retry-After
        has passed, as Slack does (counted in ``refused_while_closed``). Other errors answer HTTP
        200 ``ok: false`` unless ``status`` says otherwise (e.g. ``status=500``).
        ``missing_scope`` carries ``needed``/``provided``.
        """
        fault = Fault(
            method, error, status or default_status(error), retry_after, count, needed, self.scopes
        )
        self._faults.add(fault, closes=keep_closed)

    @property
    def refused_while_closed(self) -> int:
        """Calls that came while a ``keep_closed`` 429's Retry-After had not passed."""
        return self._faults.refused_while_closed

    def answer_late(self, method: str, delay: float, *, count: int = 1) -> None:
        """The next ``count`` calls to ``method`` are carried out at once but answered only after
        ``delay`` seconds (past a client's timeout: the call worked, the client thinks it failed)."""
        self._late.append(LateAnswers(method, delay, count))

    def answer_on_time(self) -> None:
        """Calls are answered at once again (``answer_late`` undone)."""
        self._late.clear()

    # ----- Socket Mode shortcuts (details on ``fake.socket``) -------------------------------

    @property
    def socket_acks(self) -> list[JSON]:
        return self.socket.acks

    async def socket_send(
        self,
        envelope_type: str,
        payload: JSON,
        *,
        retry_attempt: int | None = None,
        retry_reason: str | None = None,
        accepts_response_payload: bool | None = None,
    ) -> str:
        """Push an envelope (events_api / slash_commands / interactive); returns envelope_id."""
        return await self.socket.send(
            envelope_type,
            payload,
            retry_attempt=retry_attempt,
            retry_reason=retry_reason,
            accepts_response_payload=accepts_response_payload,
        )

    async def socket_send_payload(self, payload: SlackPayload) -> str:
        """Push a builder's payload (``requests.slash_command(...)`` etc.) as its envelope."""
        return await self.socket.send_payload(payload)

    async def wait_for_ack(self, envelope_id: str, timeout: float = 2.0) -> JSON:
        return await self.socket.wait_for_ack(envelope_id, timeout)

    # ----- HTTP handlers --------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        headers = dict(request.headers)
        params: JSON = dict(request.query)
        try:
            params.update(await _read_body(request))
            params = decode_json_fields(params)
            status, body, extra = self._answer(method, params, headers)
        except ApiError as exc:
            status, body, extra = 200, exc.body(), {}
        port = _client_port(request)
        self.calls.append(Call(method, params, headers, request.method, status, body, port))
        delay = next((d for late in self._late if (d := late.take(method)) is not None), None)
        if delay is not None:
            await asyncio.sleep(delay)  # carried out already; the answer comes too late
        return web.json_response(body, status=status, headers=extra)

    def _answer(self, method: str, params: JSON, headers: dict[str, str]) -> Reply:
        faulty = self._faults.answer(method)
        if faulty is not None:
            return faulty
        handler = METHODS.get(method)
        if handler is None:
            return 200, {"ok": False, "error": "unknown_method", "req_method": method}, {}
        try:
            token = self._authenticate(method, params, headers)
            limited = self._rate_limited(method, params, token)
            if limited is not None:
                return limited
            body = handler(self, ApiRequest(method, params, token, headers))
        except ApiError as exc:
            return 200, exc.body(), {}
        except Exception:
            self.errors.append(f"{method}: {traceback.format_exc()}")
            return 500, {"ok": False, "error": "fake_slack_internal_error"}, {}
        return 200, body, {"X-OAuth-Scopes": token.scopes} if token else {}

    def _authenticate(self, method: str, params: JSON, headers: dict[str, str]) -> Token | None:
        if method in NO_TOKEN_METHODS:
            return None
        auth = headers.get("Authorization", "")
        value = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else params.get("token")
        if not value:
            raise ApiError("not_authed")
        if value in self.revoked:
            raise ApiError("token_revoked")
        token = self.tokens.get(str(value))
        if token is None:
            raise ApiError("invalid_auth")
        if (token.kind == "app") != (method in APP_TOKEN_METHODS):
            raise ApiError("not_allowed_token_type")
        return token

    def _rate_limited(self, method: str, params: JSON, token: Token | None) -> Reply | None:
        if self.rate_limit is None and self.workspace_limit is None:
            return None
        ref = str(params.get("channel") or "")
        channel = self.resolve_channel(ref) if ref else None
        where = channel.id if channel else ref
        return check_limits(
            self.rate_limit, self.workspace_limit, (method, where, token and token.value)
        )

    async def _handle_upload(self, request: web.Request) -> web.Response:
        """The upload URL ``files.getUploadURLExternal`` handed out: the file's bytes as the body."""
        upload = self.uploads.get(request.match_info["file_id"])
        if upload is None or upload.data is not None:
            return web.Response(status=404, text="not_found")
        upload.data = await request.read()
        if len(upload.data) != upload.length:
            self.violations.append(
                f"upload {upload.file_id}: {len(upload.data)} bytes, announced {upload.length}"
            )
        return web.Response(text=f"OK - {len(upload.data)}")

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        url = f"{self.url}{request.path}"
        if url not in self._response_urls:
            return web.Response(status=404, text="no_service")
        params = await _read_body(request)
        body = json.loads(params["payload"]) if "payload" in params else params
        self.responses.append(ResponseUrlPost(url, body, _client_port(request)))
        return web.json_response({"ok": True})


def _client_port(request: web.Request) -> int | None:
    peer = request.transport.get_extra_info("peername") if request.transport else None
    return int(peer[1]) if peer else None


async def _read_body(request: web.Request) -> JSON:
    """Form-encoded, multipart or JSON body as a dict (strings stay strings)."""
    if not request.body_exists:
        return {}
    if request.content_type == "application/json":
        raw = await request.text()
        if not raw.strip():
            return {}
        try:
            body = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ApiError("invalid_json") from exc
        if not isinstance(body, dict):
            raise ApiError("invalid_json")
        return body
    form = await request.post()
    return {key: value for key, value in form.items() if isinstance(value, str)}
