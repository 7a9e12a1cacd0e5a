"""The aiohttp application: every /api request is recorded, may be failed or rate limited,
and is then answered by the route handlers in ``rest_*.py``."""

from __future__ import annotations

import asyncio
import json
import re
import traceback
from collections.abc import Awaitable, Callable
from typing import Final

from aiohttp import BodyPartReader, hdrs, web

from . import rest_core, rest_interactions, rest_messages
from .rest_base import RECORD, ApiError, RestContext
from .wire import (
    LOST,
    Fault,
    Faults,
    RateLimiter,
    RecordedFile,
    RecordedRequest,
    bucket_hash,
    error,
    normalise_route,
    rate_limited,
)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
API_ROOT: Final = r"/api/v{version:\d+}"
_API_PREFIX: Final = re.compile(r"^/api/v(?:\d+|\{version\})(?=/|$)")
_NO_BOT_AUTH: Final = ("/webhooks/", "/interactions/")


class RestServer:
    """Builds the aiohttp app and holds the request-level knobs (faults, rate limits)."""

    def __init__(self, ctx: RestContext) -> None:
        self.ctx = ctx
        self.faults = Faults()
        self.limiter = RateLimiter()
        self.rate_limited_count = 0
        self.global_limited_count = 0
        self.server_errors: list[str] = []
        self.request_seen = asyncio.Event()

    def build_app(self) -> web.Application:
        app = web.Application(middlewares=[self._middleware], client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self.ctx.gateway.handle)

        def add(method: str, path: str, handler: Handler) -> None:
            app.router.add_route(method, API_ROOT + path, handler)

        for module in (rest_core, rest_messages, rest_interactions):
            module.register(add, self.ctx)
        return app

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith("/api/"):
            return await handler(request)
        record = await _record(request)
        self.ctx.requests.append(record)
        request[RECORD] = record
        response = await self._respond(request, handler, record)
        record.status = response.status
        if isinstance(response, web.Response) and response.content_type == "application/json":
            record.response = json.loads(response.body or b"null")  # type: ignore[arg-type]
        self.request_seen.set()
        return response

    async def _respond(
        self, request: web.Request, handler: Handler, record: RecordedRequest
    ) -> web.StreamResponse:
        if not self._authorized(request, record):
            return error(401)
        route = normalise_route(record.route or record.path)
        bucket = bucket_hash(record.method, route)
        limit_key = f"{record.method} {route} {_major(request)}"
        fault = self.faults.take(record)
        if fault is not None and fault.status == LOST:
            return await self._lose(request, handler)
        if fault is not None:
            return self._fault_response(fault, bucket)
        limited = self.limiter.check(limit_key, exempt=record.path.startswith(_NO_BOT_AUTH))
        if limited is not None:
            self.rate_limited_count += 1
            self.global_limited_count += limited[1]
            return rate_limited(round(limited[0], 3), bucket, is_global=limited[1])
        response = await self._call(request, handler)
        if response.status != 429:
            response.headers.update(self.limiter.headers(limit_key, bucket))
        return response

    async def _lose(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Carry the request out, then drop the connection before answering (a lost response)."""
        response = await self._call(request, handler)
        if request.transport is not None:
            request.transport.abort()
        return response

    async def _call(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            return await handler(request)
        except ApiError as exc:
            return exc.response
        except web.HTTPException as exc:  # the router's 404 / 405
            return error(exc.status)
        except Exception as exc:
            self.server_errors.append(traceback.format_exc())
            # 400, not 500: discord.py retries 5xx for ~25 s before giving up.
            return error(400, f"Fake Discord internal error: {exc!r}", 0)

    def _authorized(self, request: web.Request, record: RecordedRequest) -> bool:
        auth = request.headers.get(hdrs.AUTHORIZATION)
        if auth is None:  # webhook-style routes authenticate with the token in the path
            return record.path.startswith(_NO_BOT_AUTH) or record.path == "/gateway"
        return auth == f"Bot {self.ctx.settings.token}"

    def _fault_response(self, fault: Fault, bucket: str) -> web.Response:
        if fault.status == 429:
            self.rate_limited_count += 1
            return rate_limited(fault.retry_after, bucket, is_global=fault.is_global)
        return error(fault.status, fault.message, fault.code)


def _major(request: web.Request) -> str:
    info = request.match_info
    for key in ("channel_id", "guild_id", "webhook_token", "interaction_id"):
        if key in info:
            return info[key]
    return ""


async def _record(request: web.Request) -> RecordedRequest:
    resource = request.match_info.route.resource
    record = RecordedRequest(
        method=request.method,
        path=normalise_path(request.path),
        route=normalise_path(resource.canonical) if resource is not None else None,
        query=dict(request.query),
        headers=dict(request.headers),
    )
    if request.content_type == "multipart/form-data":
        await _read_multipart(request, record)
    elif request.can_read_body:
        raw = await request.read()
        try:
            record.json = json.loads(raw) if raw else None
        except ValueError:
            record.json = raw.decode(errors="replace")
    return record


async def _read_multipart(request: web.Request, record: RecordedRequest) -> None:
    reader = await request.multipart()
    async for part in reader:
        if not isinstance(part, BodyPartReader):
            continue
        data = bytes(await part.read())
        if part.name == "payload_json":
            record.json = json.loads(data)
            continue
        content_type = part.headers.get(hdrs.CONTENT_TYPE, "application/octet-stream")
        record.files.append(RecordedFile(part.name or "", part.filename or "", content_type, data))


def normalise_path(path: str) -> str:
    """Drop the ``/api/v10`` (or the route template's ``/api/v{version}``) prefix."""
    return _API_PREFIX.sub("", path) or "/"
