"""Platform event deliveries claimed once: a redelivered event is acknowledged and dropped.

A handler that fails releases its claim, so the platform's next retry gets another chance.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core.services.context import Core
from bot.storage.uow import UnitOfWork

# Slack retries an event three times within about an hour; a day is plenty.
KEEP_EVENTS = timedelta(days=1)
PRUNE_EVERY = 500


class EventClaims:
    def __init__(self, core: Core, keep: timedelta = KEEP_EVENTS) -> None:
        self.core = core
        self.keep = keep
        self._claims = 0

    async def claim(self, event_id: str, team_id: str | None, now: datetime) -> bool:
        """True for the first delivery of ``event_id``; False for every retry after it."""

        def work(uow: UnitOfWork) -> bool:
            claimed = uow.requests.claim_event(event_id, team_id, now)
            uow.commit()
            return claimed

        claimed = await self.core.db.run(work)
        self._claims += 1
        if self._claims % PRUNE_EVERY == 0:
            await self.prune(now)
        return claimed

    async def release(self, event_id: str) -> None:
        await self.core.db.run(lambda uow: _then_commit(uow, uow.requests.release_event, event_id))

    async def prune(self, now: datetime) -> None:
        cutoff = now - self.keep
        await self.core.db.run(lambda uow: _then_commit(uow, uow.requests.prune_events, cutoff))


def _then_commit(uow: UnitOfWork, change: object, argument: object) -> None:
    assert callable(change)
    change(argument)
    uow.commit()
