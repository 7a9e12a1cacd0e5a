"""Connection states: each platform runtime reports its own, ``drillbot status`` prints them."""

from __future__ import annotations

from datetime import datetime

from bot.core.model import ConnectionState
from bot.core.services.context import Core
from bot.storage.uow import UnitOfWork

CONNECTED, RECONNECTING, FAILED, STOPPED = "connected", "reconnecting", "failed", "stopped"


async def record_connection(
    core: Core, platform: str, state: str, detail: str | None, now: datetime
) -> None:
    """Remember ``platform``'s connection ``state`` (``detail``: why, and what to fix)."""

    def work(uow: UnitOfWork) -> None:
        uow.connections.record(platform, state, detail, now)
        uow.commit()

    await core.db.run(work)


async def connection_states(core: Core) -> list[ConnectionState]:
    return await core.db.run(lambda uow: uow.connections.all())
