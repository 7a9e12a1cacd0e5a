"""Client-side pacing: spread requests evenly under a platform's rate limit instead of bursting
into 429s and backing off (a storm of posts due at the same minute is the normal case here)."""

from __future__ import annotations

import asyncio
import time


class RatePacer:
    """Hands out send slots at most ``per_second`` a second, evenly spaced, in arrival order."""

    def __init__(self, per_second: float) -> None:
        if per_second <= 0:
            raise ValueError("per_second must be positive")
        self.interval = 1.0 / per_second
        self._next_slot = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            now = time.monotonic()
            slot = max(now, self._next_slot)
            self._next_slot = slot + self.interval
            if slot > now:
                await asyncio.sleep(slot - now)
