"""Posting pace: Slack allows about one message per second per channel."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

MAX_LANES = 10_000


class ChannelPacer:
    """One post at a time per lane (a channel), at least ``interval`` seconds apart."""

    def __init__(self, interval: float = 1.0) -> None:
        self.interval = interval
        self._locks: dict[str, asyncio.Lock] = {}
        self._next_at: dict[str, float] = {}

    @asynccontextmanager
    async def turn(self, lane: str) -> AsyncIterator[None]:
        if len(self._locks) > MAX_LANES:
            self._forget_idle_lanes()
        lock = self._locks.setdefault(lane, asyncio.Lock())
        async with lock:
            wait = self._next_at.get(lane, 0.0) - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                yield
            finally:
                self._next_at[lane] = time.monotonic() + self.interval

    def _forget_idle_lanes(self) -> None:
        now = time.monotonic()
        for lane, lock in list(self._locks.items()):
            if not lock.locked() and self._next_at.get(lane, 0.0) <= now:
                del self._locks[lane]
                self._next_at.pop(lane, None)
