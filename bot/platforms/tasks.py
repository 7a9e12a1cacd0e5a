"""Shutting down cleanly: let the handlers still running finish, within a grace period."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Set

log = logging.getLogger(__name__)


async def drain(tasks: Set[asyncio.Task[object]], grace: float, what: str) -> None:
    """Wait up to ``grace`` seconds for ``tasks``; cancel (and report) those still running."""
    pending = {task for task in tasks if task is not asyncio.current_task()}
    if not pending:
        return
    _, late = await asyncio.wait(pending, timeout=grace)
    for task in late:
        task.cancel()
    if late:
        await asyncio.wait(late, timeout=1.0)
        log.warning("cancelled %d %s still running at shutdown", len(late), what)
