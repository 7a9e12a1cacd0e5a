"""``streak card``: the figures come from the streak log, the calendar tables and the scores,
and this week's points are the ones ``streak`` states."""

from __future__ import annotations

import io
from datetime import date, timedelta

from PIL import Image

from bot.core.cards import FileCard, StreakCard
from bot.core.services import commands
from bot.core.services.stats_cards import stats_figures
from bot.core.stats import DayMark
from tests.core.services.helpers import answer, drill_threads, member, place, register, tick

DAY = timedelta(days=1)
TEXT = "Mitigate first, then find the cause: pause the job, compare charges and refund them."


async def test_the_card_draws_answered_missed_and_holiday_days(core, platform, monday_morning):
    channel = await register(core, monday_morning)
    admin = member("alice", admin_=True)
    await commands.handle_command(
        core, admin, place(), "admin holiday 2026-11-26", "h", monday_morning
    )
    for day in range(3):  # Monday and Wednesday answered; Tuesday missed; Thursday a holiday
        at = monday_morning + timedelta(hours=1) + day * DAY
        await tick(core, platform, at)
        if day != 1:
            await answer(core, member("bob"), drill_threads(platform)[-1], f"m{day}", TEXT, at)
    now = monday_morning + 3 * DAY + timedelta(hours=2)
    await tick(core, platform, now)
    reply = await commands.handle_command(core, member("bob"), place(), "streak card", "c", now)
    assert reply.ok and reply.private and isinstance(reply.card, FileCard)
    assert reply.card.filename == "streak-card-bob-2026-11-26.png"
    assert Image.open(io.BytesIO(reply.card.data)).format == "PNG"

    def read(uow):  # type: ignore[no-untyped-def]
        member_id = uow.members.find("test", "guild-1", "u-bob")
        return stats_figures(uow, channel, member_id, "bob", now)

    figures = await core.db.run(read)
    week = figures.days[(date(2026, 11, 23) - figures.first_day).days :][:7]
    assert week[:4] == (DayMark.ANSWERED, DayMark.MISSED, DayMark.ANSWERED, DayMark.HOLIDAY)
    assert week[4:] == (DayMark.AHEAD,) * 3
    streak = await commands.handle_command(core, member("bob"), place(), "streak", "s", now)
    assert isinstance(streak.card, StreakCard)
    assert figures.weeks[-1] == (date(2026, 11, 23), streak.card.points_this_week)
    assert figures.current == streak.card.current and figures.longest == streak.card.longest
    assert reply.card.summary_text.startswith(f"bob: current streak {streak.card.current} drill")
    assert f"23 Nov {streak.card.points_this_week}." in reply.card.alt_text


async def test_once_answers_are_reviewed_the_card_shows_coverage_by_kind(
    core, platform, monday_morning
):
    await register(core, monday_morning)
    at = monday_morning + timedelta(hours=1)
    await tick(core, platform, at)
    await answer(core, member("bob"), drill_threads(platform)[0], "m1", TEXT, at)
    before = await commands.handle_command(core, member("bob"), place(), "streak card", "a", at)
    assert isinstance(before.card, FileCard) and "coverage" not in before.card.summary_text
    for who, ticks in (("carol", "1,2,3,4"), ("dave", "1,2,3")):
        reply = await commands.handle_command(
            core, member(who), place(), f"review 1 {ticks} senior", f"r-{who}", at
        )
        assert reply.ok
    after = await commands.handle_command(core, member("bob"), place(), "streak card", "b", at)
    assert isinstance(after.card, FileCard)
    line = "Rubric coverage by kind (answers reviewed): Live debugging "
    assert line in after.card.summary_text and line in after.card.alt_text
    tall, short = (Image.open(io.BytesIO(c.card.data)).height for c in (after, before))
    assert tall > short  # the coverage panel is drawn under the calendar and the bars
