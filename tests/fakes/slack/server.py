"""Serve an aiohttp ``web.Application`` on a random loopback port for the length of a block."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from aiohttp import web
from slack_bolt.async_app import AsyncApp

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class ServedApp:
    """Where a served application listens: ``url`` is ``http://127.0.0.1:PORT`` (no slash)."""

    host: str
    port: int

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


@asynccontextmanager
async def serve(app: web.Application, *, shutdown_timeout: float = 1.0) -> AsyncIterator[ServedApp]:
    """Run ``app`` on 127.0.0.1 with a free port chosen by the OS; clean it up on exit."""
    runner = web.AppRunner(app, shutdown_timeout=shutdown_timeout, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, LOOPBACK, 0)
        await site.start()
        host, port = runner.addresses[0][:2]
        yield ServedApp(host=str(host), port=int(port))
    finally:
        await runner.cleanup()


@asynccontextmanager
async def serve_bolt_app(bolt_app: AsyncApp, *, path: str = "/slack/events") -> AsyncIterator[str]:
    """Serve a bolt ``AsyncApp`` over HTTP (bolt's own aiohttp app); yields the events URL."""
    async with serve(bolt_app.web_app(path=path)) as served:
        yield served.url + path
