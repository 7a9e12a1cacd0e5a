"""The due-work loop: close rounds, claim weekly and daily posts, then send what is pending.

Whatever wakes it (a cron trigger, the periodic sweep, the console's clock) calls ``run_due_work``;
the claims make running it twice, or in two processes, harmless.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.core.ports import Platform
from bot.core.services.blind import reveal_due_rounds
from bot.core.services.context import Core
from bot.core.services.feed import deliver_due, lanes_for
from bot.core.services.rounds import close_due_rounds, open_due_rounds
from bot.core.services.standings import queue_weekly_posts


@dataclass(frozen=True)
class SweepReport:
    closed: int
    weekly: int
    opened: int
    sent: int


async def run_due_work(
    core: Core, platforms: Mapping[str, Platform], now: datetime, overlap: bool = False
) -> SweepReport:
    """Do everything due at ``now``. With ``overlap`` the first drills go out while later channels'
    rounds are still being opened, with as many posts in flight as the platforms take (each paces
    itself, so it is never idle); without it, posts go one at a time in a fully deterministic
    order, which the console's transcript relies on."""
    # Close first so a weekly leaderboard due at the same minute sees the final scores.
    await reveal_due_rounds(core, now)
    closed = await close_due_rounds(core, now)
    weekly = await queue_weekly_posts(core, now)
    if not overlap:
        opened = await open_due_channels(core, now)
        return SweepReport(len(closed), weekly, opened, await deliver_due(core, platforms, now))
    opening = asyncio.ensure_future(open_due_channels(core, now))
    try:
        sent = await deliver_due(core, platforms, now, lanes_for(platforms), opening)
    except BaseException:
        opening.cancel()
        await asyncio.gather(opening, return_exceptions=True)
        raise
    return SweepReport(len(closed), weekly, await opening, sent)


async def open_due_channels(core: Core, now: datetime) -> int:
    """Open the rounds of every channel whose post time has come, a batch at a time."""
    opened = 0
    while due := await core.db.run(lambda uow: uow.channels.due_posts(now)):
        for channel in due:
            opened += await open_due_rounds(core, channel, now) is not None
    return opened


async def next_wakeup(core: Core) -> datetime | None:
    """The earliest moment anything becomes due: a post time, a round's end, a retry."""
    found = await core.db.run(
        lambda uow: [
            uow.channels.earliest_due(),
            uow.rounds.earliest_close(),
            uow.rounds.earliest_reveal(),
            uow.posts.earliest_pending(),
        ]
    )
    moments = [moment for moment in found if moment is not None]
    return min(moments) if moments else None
