"""``admin stats`` and ``drillbot stats``: how alive a drill channel is over the last 8 weeks."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime, timedelta

from bot.core.analytics import (
    WEEKS,
    ChannelStats,
    RoundTurnout,
    median,
    ranked,
    round_lines,
    stats_alt_text,
    stats_summary,
)
from bot.core.cards import FileCard, Reply
from bot.core.model import Channel
from bot.core.schedule import local_date
from bot.core.services.context import Core, catalogue_for
from bot.pictures.chart import render_chart
from bot.storage.uow import UnitOfWork


def channel_stats(uow: UnitOfWork, core: Core, channel: Channel, now: datetime) -> ChannelStats:
    """The last ``WEEKS`` weeks up to today, read in one unit of work."""
    last = local_date(now, channel.settings.zone)
    first = last - timedelta(weeks=WEEKS) + timedelta(days=1)
    rows = uow.analytics.rounds(channel.id, first, last)
    turnouts = tuple(
        RoundTurnout(day, kind, answered, (first_at - opened) if first_at else None)
        for _, day, _, kind, opened, answered, first_at in rows
    )
    catalogue = catalogue_for(uow, core, channel.id)
    drills = [catalogue.get(drill_id) for _, _, drill_id, *_ in rows]
    tags = Counter(tag for drill in drills if drill is not None for tag in drill.tags)
    return ChannelStats(
        first,
        last,
        uow.analytics.active_members(channel.id, first, last),
        turnouts,
        ranked(Counter(t.kind for t in turnouts)),
        ranked(tags),
        uow.analytics.median_answer_length(channel.id, first, last),
        median([t.first_answer for t in turnouts if t.first_answer is not None]),
    )


async def admin_stats(core: Core, channel: Channel, now: datetime) -> Reply:
    """The chart, privately, with its summary as text and its content in the alt text."""
    stats = await core.db.run(lambda uow: channel_stats(uow, core, channel, now))
    data = await asyncio.to_thread(render_chart, stats)
    filename = f"drillbot-stats-{stats.last:%Y-%m-%d}.png"
    return Reply(FileCard(filename, data, stats_alt_text(stats), stats_summary(stats)))


async def stats_report(core: Core, channel: Channel, now: datetime) -> str:
    """What ``drillbot stats`` prints: the summary, then a line per round."""
    stats = await core.db.run(lambda uow: channel_stats(uow, core, channel, now))
    return "\n".join([stats_summary(stats), "", *round_lines(stats)])
