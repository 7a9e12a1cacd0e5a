"""``streak card``: a member's stats card as a picture, with the same figures as text."""

from __future__ import annotations

import asyncio
import re
from datetime import date, datetime, timedelta

from bot.core.cards import FileCard, Reply
from bot.core.model import Actor, Channel
from bot.core.profile import by_kind
from bot.core.schedule import current_week, local_date
from bot.core.scoring import ANSWER_POINTS, VOTE_POINTS
from bot.core.services import attendance
from bot.core.services.context import Core
from bot.core.services.profile import read_history
from bot.core.stats import (
    CALENDAR_WEEKS,
    POINTS_WEEKS,
    StatsFigures,
    calendar_start,
    day_marks,
    stats_alt_text,
    stats_summary,
    weekly_points,
)
from bot.pictures.stats_card import render_stats_card
from bot.storage.uow import UnitOfWork
from drills import kind_label

DAY = timedelta(days=1)


def _week_points(
    uow: UnitOfWork, channel: Channel, member_id: int, now: datetime
) -> tuple[tuple[date, int], ...]:
    """Settled points per week; this week's as ``streak`` counts it (open rounds live)."""
    today = local_date(now, channel.settings.zone)
    first = today - timedelta(weeks=POINTS_WEEKS)
    weeks = weekly_points(uow.scores.points_by_day(channel.id, member_id, first, today), today)
    week = current_week(now, channel.settings.zone)
    this_week = uow.scores.member_points(channel.id, member_id, week, ANSWER_POINTS, VOTE_POINTS)
    return (*weeks[:-1], (weeks[-1][0], this_week))


def _coverage(
    uow: UnitOfWork, core: Core, channel: Channel, member_id: int, now: datetime
) -> tuple[tuple[str, float, int], ...]:
    """Rubric coverage by kind over every reviewed answer, weakest first (as ``profile``)."""
    kinds = by_kind(read_history(uow, core, channel, member_id, now).assessed)
    ordered = sorted(kinds.items(), key=lambda item: (item[1].mean, item[0]))
    return tuple((kind_label(kind), figure.mean, figure.answers) for kind, figure in ordered)


def stats_figures(
    uow: UnitOfWork,
    channel: Channel,
    member_id: int,
    name: str,
    now: datetime,
    core: Core | None = None,
) -> StatsFigures:
    """Everything the card shows, read in one unit of work."""
    today = local_date(now, channel.settings.zone)
    first = calendar_start(today)
    last = first + timedelta(weeks=CALENDAR_WEEKS) - DAY
    state, current, freezes = attendance.standing(uow, channel, member_id, now)
    marks = day_marks(
        first,
        today,
        uow.streaks.answered_days(channel.id, member_id, first, last),
        set(uow.rounds.drill_days(channel.id, first - DAY, last + DAY)),
        uow.streaks.rest_days(channel.id, member_id, first, last),
        uow.channels.holidays(channel.id, first),
    )
    weeks = _week_points(uow, channel, member_id, now)
    coverage = _coverage(uow, core, channel, member_id, now) if core else ()
    return StatsFigures(name, current, state.longest, freezes, first, marks, weeks, coverage)


async def stats_card(core: Core, actor: Actor, channel: Channel, now: datetime) -> Reply:
    def work(uow: UnitOfWork) -> StatsFigures:
        member_id = uow.members.ensure(actor)
        figures = stats_figures(uow, channel, member_id, actor.display_name, now, core)
        uow.commit()
        return figures

    figures = await core.db.run(work)
    data = await asyncio.to_thread(render_stats_card, figures)
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", actor.display_name).strip("-")[:40] or "member"
    filename = f"streak-card-{slug}-{local_date(now, channel.settings.zone):%Y-%m-%d}.png"
    return Reply(FileCard(filename, data, stats_alt_text(figures), stats_summary(figures)))
