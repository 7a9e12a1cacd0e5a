"""``admin stats``: the figures of the last 8 weeks, read from rounds and answers, and the chart
that draws them."""

from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image

from bot.core.cards import FileCard
from bot.core.services import commands
from bot.core.services.analytics import channel_stats, stats_report
from tests.core.services.helpers import answer, drill_threads, member, place, register, tick

DAY = timedelta(days=1)


async def test_participation_kinds_lengths_and_first_answer_times(core, platform, monday_morning):
    channel = await register(core, monday_morning)
    for day in range(3):
        at = monday_morning + timedelta(hours=1) + day * DAY
        await tick(core, platform, at)
        thread = drill_threads(platform)[-1]
        for minutes, name in ((10 * (day + 1), "bob"), (60, "carol"))[: 2 - day // 2]:
            text = f"{name} on day {day}: " + "x" * (40 * (day + 1))
            await answer(
                core, member(name), thread, f"m{day}{name}", text, at + timedelta(minutes=minutes)
            )
    now = monday_morning + 3 * DAY
    stats = await core.db.run(lambda uow: channel_stats(uow, core, channel, now))
    assert [r.answered for r in stats.rounds] == [2, 2, 1] and stats.active == 2
    assert [r.first_answer for r in stats.rounds] == [timedelta(minutes=m) for m in (10, 20, 30)]
    assert stats.median_first_answer == timedelta(minutes=20)
    lengths = sorted(
        len(f"{n} on day {d}: ") + 40 * (d + 1)
        for d, n in [(0, "bob"), (0, "carol"), (1, "bob"), (1, "carol"), (2, "bob")]
    )
    assert stats.median_length == lengths[2]
    assert sum(count for _, count in stats.kinds) == 3 and stats.tags

    admin = member("alice", admin_=True)
    reply = await commands.handle_command(core, admin, place(), "admin stats", "s", now)
    assert reply.ok and reply.private and isinstance(reply.card, FileCard)
    assert Image.open(io.BytesIO(reply.card.data)).size == (900, 420)
    assert (
        "3 daily drills; on average 1.7 of 2 active members answered each (83%)."
        in reply.card.summary_text
    )
    assert reply.card.alt_text.startswith(
        "Chart of members answering each daily drill: 23 Nov 2 of 2; 24 Nov 2 of 2; 25 Nov 1 of 2."
    )
    assert "Median time to first answer: 20 min." in reply.card.summary_text
    report = await stats_report(core, channel, now)
    assert report.startswith(reply.card.summary_text) and "Wed 25 Nov" in report
    refused = await commands.handle_command(core, member("bob"), place(), "admin stats", "t", now)
    assert not refused.ok
