"""The Socket Mode WebSocket endpoint of the fake (served by ``FakeSlack`` on the same port).

Flow, as with real Slack: the app calls ``apps.connections.open`` with its xapp- token, gets a
one-time ``ws://.../link/?ticket=...`` URL, connects, receives ``hello``; the test then pushes
envelopes with ``socket_send`` and awaits the app's ack with ``wait_for_ack``.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from aiohttp import WSMsgType, web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from tests.fakes.slack.models import JSON
from tests.fakes.slack.requests import SlackPayload, socket_envelope
from tests.fakes.slack.templates import template
from tests.fakes.slack.waiting import wait_until

if TYPE_CHECKING:
    from tests.fakes.slack.web_api import FakeSlack

LINK_PATH = "/link/"


class SocketModeServer:
    """Connections, pushed envelopes and received acks of the fake Socket Mode endpoint."""

    def __init__(self, app_id: str) -> None:
        self.app_id = app_id
        self.ws_base = ""  # "ws://127.0.0.1:PORT", set once the server listens
        self.sent: list[JSON] = []  # envelopes pushed to the app
        self.received: list[JSON] = []  # every JSON message the app sent
        self.acks: list[JSON] = []  # messages with an envelope_id: {"envelope_id", "payload"?}
        self.connections_total = 0
        self._tickets: set[str] = set()
        self._sockets: list[web.WebSocketResponse] = []
        self._ack_futures: dict[str, asyncio.Future[JSON]] = {}

    # ----- URL issuing and the HTTP side ----------------------------------------------------

    def issue_url(self) -> str:
        ticket = str(uuid.uuid4())
        self._tickets.add(ticket)
        return f"{self.ws_base}{LINK_PATH}?ticket={ticket}&app_id={self.app_id}"

    def routes(self) -> list[web.RouteDef]:
        return [web.get(LINK_PATH, self._handle)]

    @property
    def connected(self) -> int:
        """How many app connections are open now."""
        return len(self._sockets)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        ticket = request.query.get("ticket", "")
        if ticket not in self._tickets:
            return web.Response(status=401, text="invalid_ticket")
        self._tickets.discard(ticket)  # tickets are single use, as in Slack
        ws = web.WebSocketResponse(timeout=1.0, autoping=True)
        await ws.prepare(request)
        self._sockets.append(ws)
        self.connections_total += 1
        try:
            await ws.send_json(self._hello())
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    self._on_text(msg.data)
        finally:
            self._sockets.remove(ws)
        return ws

    def _hello(self) -> JSON:
        hello = template("socket_hello")
        hello["num_connections"] = len(self._sockets)
        hello["connection_info"]["app_id"] = self.app_id
        return hello

    def _on_text(self, data: str) -> None:
        try:
            message = json.loads(data)
        except json.JSONDecodeError:
            message = {"unparsed": data}
        self.received.append(message)
        envelope_id = message.get("envelope_id") if isinstance(message, dict) else None
        if not envelope_id:
            return
        self.acks.append(message)
        future = self._ack_futures.get(envelope_id)
        if future is not None and not future.done():
            future.set_result(message)

    # ----- what tests call ------------------------------------------------------------------

    async def wait_connected(self, timeout: float = 2.0) -> None:
        await wait_until(lambda: self._sockets, timeout=timeout, what="a Socket Mode connection")

    async def send_envelope(self, envelope: JSON, *, timeout: float = 2.0) -> str:
        """Push a prepared envelope on the newest connection; returns its envelope_id."""
        await self.wait_connected(timeout)
        envelope_id = str(envelope["envelope_id"])
        self._ack_futures[envelope_id] = asyncio.get_running_loop().create_future()
        await self._sockets[-1].send_json(envelope)
        self.sent.append(envelope)
        return envelope_id

    async def send(
        self,
        envelope_type: str,
        payload: JSON,
        *,
        retry_attempt: int | None = None,
        retry_reason: str | None = None,
        accepts_response_payload: bool | None = None,
    ) -> str:
        envelope = socket_envelope(
            envelope_type,
            payload,
            retry_attempt=retry_attempt,
            retry_reason=retry_reason,
            accepts_response_payload=accepts_response_payload,
        )
        return await self.send_envelope(envelope)

    async def send_payload(self, payload: SlackPayload) -> str:
        return await self.send_envelope(payload.envelope())

    async def wait_for_ack(self, envelope_id: str, timeout: float = 2.0) -> JSON:
        """The app's ack of one envelope: ``{"envelope_id": ..., "payload": ...?}``."""
        future = self._ack_futures.get(envelope_id)
        if future is None:
            raise KeyError(f"envelope {envelope_id} was never sent")
        try:
            return await asyncio.wait_for(asyncio.shield(future), timeout)
        except TimeoutError:
            raise TimeoutError(f"no ack for envelope {envelope_id} within {timeout}s") from None

    async def disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask the app to reconnect, as Slack does every few hours."""
        message = {"type": "disconnect", "reason": reason, "debug_info": {"host": "applink-fake"}}
        for ws in list(self._sockets):
            await ws.send_json(message)

    async def close(self) -> None:
        for ws in list(self._sockets):
            await ws.close(code=1001, message=b"server shutting down")


@asynccontextmanager
async def socket_mode_handler(
    app: AsyncApp, fake: FakeSlack, *, ping_interval: float = 10
) -> AsyncIterator[AsyncSocketModeHandler]:
    """Bolt's real ``AsyncSocketModeHandler``, connected to ``fake`` (``connect_async``)."""
    handler = AsyncSocketModeHandler(app, app_token=fake.app_token, ping_interval=ping_interval)
    try:
        await handler.connect_async()  # type: ignore[no-untyped-call]
        await fake.socket.wait_connected()
        yield handler
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]
        await wait_until(
            lambda: fake.socket.connected == 0,
            timeout=2.0,
            what="the Socket Mode connection to close",
        )
