"""Discord's global rate limit, kept on the client side so a fan-out never meets a 429.

discord.py paces each route bucket by the ``X-RateLimit-*`` headers Discord sends, but it learns of
the global limit (50 requests a second for most bots, across every route) only from a 429. A
thousand channels each get one message and one thread, in a thousand different buckets, so the
global limit is the one that binds. ``GlobalPacer`` spaces REST requests evenly at the limit (a
few go at once after a quiet spell, so replies never wait), and lets a request start only once
the one ``limit`` requests before it has been answered a second ago: Discord counted that one on
arrival, before its answer, so however long the way there took, no second ever holds more than
``limit`` (a busy machine slows the pace instead of meeting 429s). A global 429's ``Retry-After``
holds every request. The pacer is hooked into discord.py's HTTP session as an aiohttp trace, so
retries are paced too; interaction routes are exempt, as on Discord.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import aiohttp

GLOBAL_PER_SECOND = 50
WINDOW = 1.005  # Discord's second, and 5 ms for clocks that differ
ARRIVED_WITHIN = 5.0  # an unanswered request is taken to have arrived this soon after starting
BURST = 0.2  # after a quiet spell a fifth of the limit goes at once
EXEMPT = ("/interactions/", "/webhooks/")


@dataclass
class Start:
    at: float
    answered: float | None = None

    def arrived_by(self) -> float:
        """When Discord had it at the latest (and so counted it)."""
        latest = self.at + ARRIVED_WITHIN
        return latest if self.answered is None else min(self.answered, latest)


class GlobalPacer:
    """At most ``limit`` requests in any ``window`` seconds as Discord counts them."""

    def __init__(self, limit: int = GLOBAL_PER_SECOND, window: float = WINDOW) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("the limit must be at least 1 request in a positive window")
        self.limit, self.window = limit, window
        self.interval = window / limit
        self.burst = max(1, round(limit * BURST))
        self._starts: deque[Start] = deque(maxlen=limit)
        self._next_slot = 0.0
        self._held_until = 0.0
        self._lock = asyncio.Lock()
        self._news = asyncio.Event()  # an answer came, or a hold: the wait may be shorter or longer

    async def wait(self) -> Start:
        """Return when one more request may start (call ``answered`` with what it returns once
        the answer is in); waiters go in arrival order."""
        async with self._lock:
            slot = max(time.monotonic() - self.burst * self.interval, self._next_slot)
            self._next_slot = slot + self.interval
            while True:
                delay = self._ready_at(slot) - time.monotonic()
                if delay <= 0:
                    break
                self._news.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._news.wait(), delay)
            start = Start(time.monotonic())
            self._starts.append(start)
            return start

    def _ready_at(self, slot: float) -> float:
        full = len(self._starts) == self.limit
        oldest = self._starts[0].arrived_by() + self.window if full else 0.0
        return max(slot, oldest, self._held_until)

    def hold(self, seconds: float) -> None:
        """Start nothing for ``seconds`` (Discord said so in a global 429's ``Retry-After``)."""
        self._held_until = max(self._held_until, time.monotonic() + seconds)
        self._next_slot = max(self._next_slot, self._held_until)
        self._news.set()

    def answered(self, start: Start) -> None:
        """The answer to the request ``start`` let through came (or it failed)."""
        if start.answered is None:
            start.answered = time.monotonic()
            self._news.set()

    def trace(self) -> aiohttp.TraceConfig:
        """The hook for ``discord.Client(http_trace=...)``: every request waits its turn."""
        config = aiohttp.TraceConfig()
        config.on_request_start.append(self._on_start)
        config.on_request_end.append(self._on_end)
        config.on_request_exception.append(self._on_failed)
        return config

    async def _on_start(self, _session: Any, ctx: SimpleNamespace, params: Any) -> None:
        path = params.url.path
        if "/api/" in path and not any(part in path for part in EXEMPT):
            ctx.start = await self.wait()

    async def _on_end(self, _session: Any, ctx: SimpleNamespace, params: Any) -> None:
        self._answered(ctx)
        headers = params.response.headers
        if params.response.status == 429 and headers.get("X-RateLimit-Global") == "true":
            self.hold(float(headers.get("Retry-After", "1")))

    async def _on_failed(self, _session: Any, ctx: SimpleNamespace, _params: Any) -> None:
        self._answered(ctx)

    def _answered(self, ctx: SimpleNamespace) -> None:
        start = getattr(ctx, "start", None)
        if isinstance(start, Start):
            self.answered(start)
