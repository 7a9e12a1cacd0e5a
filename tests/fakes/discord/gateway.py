"""The fake gateway: HELLO, IDENTIFY/READY/GUILD_CREATE, heartbeats, RESUME, dispatches."""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import dataclass, field
from typing import Any, Final

from aiohttp import WSMsgType, web

from . import serialize
from .models import FakeGuild
from .sharding import Identified, guild_of, invalid_shard, serves
from .state import (
    GATEWAY_GUILD_MEMBERS,
    GATEWAY_GUILD_MEMBERS_LIMITED,
    GATEWAY_MESSAGE_CONTENT,
    GATEWAY_MESSAGE_CONTENT_LIMITED,
    GATEWAY_PRESENCE,
    GATEWAY_PRESENCE_LIMITED,
    FakeState,
)
from .templates import OMIT, render

DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE, VOICE, RESUME = 0, 1, 2, 3, 4, 6
RECONNECT, REQUEST_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 7, 8, 9, 10, 11
INTENT_GUILD_MEMBERS: Final = 1 << 1
INTENT_GUILD_PRESENCES: Final = 1 << 8
INTENT_GUILD_MESSAGES: Final = 1 << 9
INTENT_DIRECT_MESSAGES: Final = 1 << 12
INTENT_MESSAGE_CONTENT: Final = 1 << 15
_TRACE: Final = ['["gateway-prd-fake-0",{"micros":1000,"calls":[]}]']


@dataclass
class Close:
    code: int
    reason: str


@dataclass(eq=False)
class Connection:
    ws: web.WebSocketResponse
    query: dict[str, str]
    queue: asyncio.Queue[str | Close | None] = field(default_factory=asyncio.Queue)
    session: Session | None = None
    closed_by_server: bool = False

    def send(self, frame: dict[str, Any] | str) -> None:
        self.queue.put_nowait(frame if isinstance(frame, str) else json.dumps(frame))

    def close(self, code: int, reason: str) -> None:
        self.closed_by_server = True
        self.queue.put_nowait(Close(code, reason))


@dataclass
class Session:
    id: str
    intents: int
    shard: list[int] | None
    seq: int = 0
    log: list[tuple[int, str]] = field(default_factory=list)
    conn: Connection | None = None


@dataclass
class GatewayEvent:
    name: str
    data: Any


class Gateway:
    """Speaks Discord's gateway protocol (JSON text frames, no compression) to clients."""

    def __init__(self, state: FakeState, token: str, heartbeat_interval_ms: int) -> None:
        self.state = state
        self.token = token
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.url = ""
        self.sessions: dict[str, Session] = {}
        self.connections: set[Connection] = set()
        self.events: list[GatewayEvent] = []
        self.presence_updates: list[dict[str, Any]] = []
        self.identify_count = 0
        self.identifies: list[Identified] = []  # every accepted IDENTIFY, in order
        self.shard_count = 1  # what GET /gateway/bot recommends
        self.max_concurrency = 1
        self.resume_count = 0
        self.heartbeat_count = 0
        self.close_codes: list[int] = []

    # --- connection lifecycle ---------------------------------------------------------

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        conn = Connection(ws, dict(request.query))
        self.connections.add(conn)
        writer = asyncio.create_task(self._writer(conn), name="fake-discord-gateway-writer")
        hello = {"heartbeat_interval": self.heartbeat_interval_ms, "_trace": _TRACE}
        conn.send({"op": HELLO, "d": hello, "s": None, "t": None})
        try:
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:
                    self._receive(conn, msg.data)
                else:
                    conn.close(4002, "Error while decoding payload.")
        finally:
            self._detach(conn)
            conn.queue.put_nowait(None)
            await writer
            self.connections.discard(conn)
        return ws

    async def _writer(self, conn: Connection) -> None:
        """Send queued frames in order; after a close, swallow the rest until ``None``."""
        writable = True
        while True:
            item = await conn.queue.get()
            try:
                if item is None:
                    return
                if writable:
                    writable = await self._write(conn, item)
            finally:
                conn.queue.task_done()

    async def _write(self, conn: Connection, item: str | Close) -> bool:
        try:
            if isinstance(item, Close):
                self.close_codes.append(item.code)
                await conn.ws.close(code=item.code, message=item.reason.encode())
                return False
            await conn.ws.send_str(item)
            return True
        except (ConnectionError, RuntimeError):
            return False

    def _detach(self, conn: Connection) -> None:
        session = conn.session
        if session is None or session.conn is not conn:
            return
        session.conn = None
        if not conn.closed_by_server and conn.ws.close_code in (1000, 1001):
            self.sessions.pop(session.id, None)  # a clean client close ends the session

    async def drain(self) -> None:
        """Wait until every queued frame has been handed to its socket."""
        await asyncio.gather(*(c.queue.join() for c in list(self.connections)))

    async def close_all(self, code: int, *, forget_sessions: bool = False) -> None:
        conns = list(self.connections)
        for conn in conns:
            conn.close(code, "Closed by the fake.")
        await self.drain()
        await self._wait_closed(conns)
        if forget_sessions:
            self.sessions.clear()

    async def _wait_closed(self, conns: list[Connection], timeout: float = 5.0) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while any(c in self.connections for c in conns) and loop.time() < deadline:
            await asyncio.sleep(0.01)

    def send_raw(self, text: str) -> None:
        """Send ``text`` as it is (a malformed frame) to every client."""
        for conn in list(self.connections):
            conn.send(text)

    def send_op(self, op: int, data: Any) -> None:
        """Send a non-dispatch opcode (e.g. RECONNECT, INVALID_SESSION) to every client."""
        for conn in list(self.connections):
            conn.send({"op": op, "d": data, "s": None, "t": None})

    # --- receiving --------------------------------------------------------------------

    def _receive(self, conn: Connection, raw: str) -> None:
        try:
            payload = json.loads(raw)
            op, data = payload["op"], payload.get("d")
        except (ValueError, KeyError, TypeError):
            conn.close(4002, "Error while decoding payload.")
            return
        if op == HEARTBEAT:
            self.heartbeat_count += 1
            conn.send({"op": HEARTBEAT_ACK, "d": None, "s": None, "t": None})
        elif op == IDENTIFY:
            self._identify(conn, data)
        elif op == RESUME:
            self._resume(conn, data)
        elif conn.session is None:
            conn.close(4003, "Not authenticated.")
        elif op == PRESENCE:
            self.presence_updates.append(data)
        elif op == REQUEST_MEMBERS:
            self._send_member_chunk(conn.session, data)
        elif op != VOICE:
            conn.close(4001, "Unknown opcode.")

    def _identify(self, conn: Connection, data: dict[str, Any]) -> None:
        if conn.session is not None:
            conn.close(4005, "Already authenticated.")
            return
        if data.get("token") != self.token:
            conn.close(4004, "Authentication failed.")
            return
        intents = int(data.get("intents") or 0)
        if intents & ~self._allowed_intents():
            conn.close(4014, "Disallowed intent(s).")
            return
        if invalid_shard(data.get("shard")):
            conn.close(4010, "Invalid shard.")
            return
        self.identify_count += 1
        session = Session(uuid.uuid4().hex, intents, data.get("shard"), conn=conn)
        self.identifies.append(Identified(*(session.shard or (None, None))))
        self.sessions[session.id] = session
        conn.session = session
        self._emit_to(session, "READY", self._ready(session))
        for guild in self._guilds_of(session):
            self._emit_to(session, "GUILD_CREATE", serialize.guild_create(self.state, guild))

    def _guilds_of(self, session: Session) -> list[FakeGuild]:
        return [g for g in self.state.guilds.values() if serves(session.shard, g.id)]

    def _allowed_intents(self) -> int:
        allowed = ~(INTENT_GUILD_MEMBERS | INTENT_GUILD_PRESENCES | INTENT_MESSAGE_CONTENT)
        grants = (
            (INTENT_GUILD_MEMBERS, GATEWAY_GUILD_MEMBERS, GATEWAY_GUILD_MEMBERS_LIMITED),
            (INTENT_GUILD_PRESENCES, GATEWAY_PRESENCE, GATEWAY_PRESENCE_LIMITED),
            (INTENT_MESSAGE_CONTENT, GATEWAY_MESSAGE_CONTENT, GATEWAY_MESSAGE_CONTENT_LIMITED),
        )
        for intent, full, limited in grants:
            if self.state.intent_granted(full, limited):
                allowed |= intent
        return allowed

    def _ready(self, session: Session) -> dict[str, Any]:
        return render(
            "ready",
            user=serialize.current_user(self.state.bot),
            guilds=[{"id": str(g.id), "unavailable": True} for g in self._guilds_of(session)],
            session_id=session.id,
            resume_gateway_url=self.url,
            shard=session.shard if session.shard is not None else OMIT,
            application_id=str(self.state.application_id),
            application_flags=self.state.application_flags,
        )

    def _resume(self, conn: Connection, data: dict[str, Any]) -> None:
        session = self.sessions.get(str(data.get("session_id")))
        if session is None or data.get("token") != self.token or session.conn is not None:
            conn.send({"op": INVALID_SESSION, "d": False, "s": None, "t": None})
            return
        self.resume_count += 1
        session.conn = conn
        conn.session = session
        last_seen = int(data.get("seq") or 0)
        for seq, frame in session.log:
            if seq > last_seen:
                conn.send(frame)
        self._emit_to(session, "RESUMED", {"_trace": _TRACE})

    def _send_member_chunk(self, session: Session, data: dict[str, Any]) -> None:
        guild = self.state.guilds.get(int(data.get("guild_id") or 0))
        if guild is not None:
            self._emit_to(session, "GUILD_MEMBERS_CHUNK", serialize.member_chunk(guild, data))

    # --- dispatching ------------------------------------------------------------------

    def emit(
        self, event: str, data: Any, *, intent: int | None = None, redact: bool = False
    ) -> None:
        """Dispatch an event to every live or resumable session that asked for ``intent``."""
        self.events.append(GatewayEvent(event, data))
        guild_id = guild_of(event, data)
        for session in list(self.sessions.values()):
            if intent is not None and not session.intents & intent:
                continue
            if not serves(session.shard, guild_id):
                continue
            needs_redaction = redact and not session.intents & INTENT_MESSAGE_CONTENT
            payload = self._redacted(data) if needs_redaction else data
            self._emit_to(session, event, payload)

    def _emit_to(self, session: Session, event: str, data: Any) -> None:
        session.seq += 1
        frame = json.dumps({"op": DISPATCH, "s": session.seq, "t": event, "d": data})
        session.log.append((session.seq, frame))
        if session.conn is not None:
            session.conn.send(frame)

    def _redacted(self, message: dict[str, Any]) -> dict[str, Any]:
        """What a bot without MESSAGE_CONTENT sees: no content unless it is involved."""
        bot_id = str(self.state.bot.id)
        author_id = (message.get("author") or {}).get("id")
        mentioned = any(m.get("id") == bot_id for m in message.get("mentions") or [])
        if author_id == bot_id or mentioned or "guild_id" not in message:
            return message
        redacted = {**message, "content": "", "embeds": [], "attachments": [], "components": []}
        redacted.pop("poll", None)
        return redacted
