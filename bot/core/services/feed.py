"""Feeding the platforms: due posts go out continuously, as many in flight as the platforms take.

Each lane takes the next due post as soon as its last one is done, and the outbox is read a batch
ahead of the lanes, so a platform that paces itself by its rate limit (``Paced``) always has a post
waiting and no batch waits for its slowest post. With one lane the order of posts is strict.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.core.model import PostJob
from bot.core.ports import Paced, Platform
from bot.core.services.context import Core
from bot.core.services.delivery import BATCH, deliver_one

DEFAULT_LANES = 4  # for a platform that does not say how many posts it takes at once
POLL_SECONDS = 0.05  # while rounds are being opened, how often to look for their posts


def lanes_for(platforms: Mapping[str, Platform]) -> int:
    """Enough posts in flight to keep every platform at its rate limit."""
    lanes = (p.send_lanes if isinstance(p, Paced) else DEFAULT_LANES for p in platforms.values())
    return max(1, sum(lanes))


async def deliver_due(
    core: Core,
    platforms: Mapping[str, Platform],
    now: datetime,
    lanes: int = 1,
    opening: asyncio.Future[Any] | None = None,
) -> int:
    """Send every post due at ``now``, and while ``opening`` runs the posts it queues; returns
    how many went out."""
    return await Feed(core, platforms, now, lanes).run(opening)


class Feed:
    def __init__(
        self, core: Core, platforms: Mapping[str, Platform], now: datetime, lanes: int
    ) -> None:
        self.core, self.platforms, self.now = core, platforms, now
        self.queue: asyncio.Queue[PostJob | None] = asyncio.Queue(maxsize=lanes)
        self.lanes = lanes
        self.seen: set[int] = set()  # each post is tried at most once a run
        self.sent = 0

    async def run(self, opening: asyncio.Future[Any] | None) -> int:
        """Fill the lanes until nothing is due; the first error (a database fault) ends it all."""
        tasks = [asyncio.create_task(self._lane()) for _ in range(self.lanes)]
        tasks.append(asyncio.create_task(self._fill(opening)))
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
            for task in done:
                task.result()
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        return self.sent

    async def _fill(self, opening: asyncio.Future[Any] | None) -> None:
        """Queue due posts until none is left and nothing more can become due, then close."""
        await self._queue_due(opening)
        for _ in range(self.lanes):
            await self.queue.put(None)

    async def _queue_due(self, opening: asyncio.Future[Any] | None) -> None:
        while True:
            last_look = opening is None or opening.done()  # before reading: nothing slips by
            fresh = await self._fetch()
            for job in fresh:
                await self.queue.put(job)
            if not fresh and last_look:
                return
            if not fresh and opening is not None:
                await asyncio.wait({opening}, timeout=POLL_SECONDS)

    async def _fetch(self) -> list[PostJob]:
        """Due posts not yet taken; the ones queued or in flight are still due, so read past them."""
        limit = BATCH + len(self.seen)
        jobs = await self.core.db.run(lambda uow: uow.posts.due(self.now, limit))
        fresh = [job for job in jobs if job.id not in self.seen]
        self.seen.update(job.id for job in fresh)
        return fresh

    async def _lane(self) -> None:
        while (job := await self.queue.get()) is not None:
            sent = await deliver_one(self.core, self.platforms, job, self.now)
            self.sent += sent  # after the await: ``self.sent += await ...`` would lose counts
