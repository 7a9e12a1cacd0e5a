"""Fan-out: 1,000 channels due at the same minute against a platform allowing 50 requests/second.

Usage: python -m bench.fanout [--channels 1000] [--limit 50]
Target (issue 5): every drill posted with its thread in at most 1.1x the floor the rate limit sets
(2 requests per drill / 50 per second = 40 s for 1,000 channels), with no 429 received.

The fake platform is an aiohttp server on loopback that counts requests in a sliding one-second
window and answers 429 beyond the limit; the bot side is the real core (SQLite, outbox, leases)
with an HTTP adapter paced by ``bench.pacing.RatePacer``.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import tempfile
import time
from datetime import timedelta

import aiohttp
from aiohttp import web

from bench.common import START, fresh_core
from bench.pacing import RatePacer
from bot.core.cards import Card, DrillCard
from bot.core.model import Place
from bot.core.ports import Posted, SendFailed
from bot.core.services.admin import register_channel
from bot.core.services.sweep import run_due_work

SAFETY = 0.99  # pace a hair under the limit so timer jitter never lands a 51st request in a window


class LimitedPlatformServer:
    def __init__(self, limit: int) -> None:
        self.limit, self.window = limit, collections.deque[float]()
        self.accepted = self.rejected = 0

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/messages", self.handle)
        app.router.add_post("/threads", self.handle)
        return app

    async def handle(self, request: web.Request) -> web.Response:
        now = time.monotonic()
        while self.window and now - self.window[0] >= 1.0:
            self.window.popleft()
        if len(self.window) >= self.limit:
            self.rejected += 1
            return web.json_response({"retry_after": 1.0}, status=429, headers={"Retry-After": "1"})
        self.window.append(now)
        self.accepted += 1
        return web.json_response({"id": f"x{self.accepted}"})


class PacedHttpPlatform:
    name = "bench"

    def __init__(self, base: str, session: aiohttp.ClientSession, pacer: RatePacer) -> None:
        self.base, self.session, self.pacer = base, session, pacer

    async def deliver(
        self, channel_ref: str, thread_ref: str | None, card: Card, idempotency_key: str
    ) -> Posted:
        message = await self._post("/messages", {"channel": channel_ref, "key": idempotency_key})
        thread = (
            await self._post("/threads", {"message": message})
            if isinstance(card, DrillCard)
            else None
        )
        return Posted(message, thread)

    async def _post(self, path: str, body: dict[str, str]) -> str:
        await self.pacer.wait()
        async with self.session.post(self.base + path, json=body) as response:
            if response.status == 429:
                raise SendFailed("429", retry_after=float(response.headers.get("Retry-After", "1")))
            return str((await response.json())["id"])


async def run(channels: int, limit: int) -> None:
    server = LimitedPlatformServer(limit)
    runner = web.AppRunner(server.app())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    with tempfile.TemporaryDirectory() as folder:
        core = await fresh_core(f"sqlite:///{folder}/fanout.db")
        for number in range(channels):
            await register_channel(core, Place("bench", "space", f"c{number}"), START)
        async with aiohttp.ClientSession() as session:
            platform = PacedHttpPlatform(
                f"http://127.0.0.1:{port}", session, RatePacer(limit * SAFETY)
            )
            began = time.perf_counter()
            await run_due_work(core, {"bench": platform}, START + timedelta(hours=1), overlap=True)
            elapsed = time.perf_counter() - began
        await core.db.dispose()
    await runner.cleanup()
    floor = channels * 2 / limit
    print(
        f"{channels:,} drills with threads at {limit}/s: {elapsed:.1f} s (floor {floor:.0f} s, {elapsed / floor:.3f}x), 429s received: {server.rejected}, requests: {server.accepted}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--channels", type=int, default=1000)
    parser.add_argument("--limit", type=int, default=50)
    args = parser.parse_args()
    asyncio.run(run(args.channels, args.limit))


if __name__ == "__main__":
    main()
