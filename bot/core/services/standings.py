"""Points, streaks and leaderboards, read for a week or for all time."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from bot.core import keys
from bot.core.cards import LeaderboardCard, Reply, StreakCard
from bot.core.model import Actor, Channel, NewPost, Standing
from bot.core.schedule import current_week, next_weekly_after, previous_week
from bot.core.scoring import ANSWER_POINTS, VOTE_POINTS
from bot.core.services import attendance
from bot.core.services.context import Core
from bot.core.vocab import PostKind
from bot.storage.uow import UnitOfWork

LEADERBOARD_SIZE = 10
# A weekly post delayed by an outage still goes out within this long of its time.
WEEKLY_LATENESS = timedelta(days=1)


def top_standings(
    uow: UnitOfWork, channel: Channel, monday: date | None, now: datetime
) -> tuple[Standing, ...]:
    """The leaderboard's rows for the week from ``monday`` (all time when None): ranked and cut to
    size in the database, then given current streaks."""
    ranked = uow.scores.top(channel.id, monday, LEADERBOARD_SIZE, ANSWER_POINTS, VOTE_POINTS)
    return tuple(_with_streaks(uow, channel, ranked, now))


def _with_streaks(
    uow: UnitOfWork, channel: Channel, standings: list[Standing], now: datetime
) -> list[Standing]:
    found = attendance.streaks_today(uow, channel, [s.member_id for s in standings], now)
    streak = defaultdict(int, found)
    return [
        Standing(s.member_id, s.display_name, s.points, s.answers, s.votes, streak[s.member_id])
        for s in standings
    ]


async def leaderboard(core: Core, channel: Channel, all_time: bool, now: datetime) -> Reply:
    def work(uow: UnitOfWork) -> Reply:
        if all_time:
            rows = top_standings(uow, channel, None, now)
            return Reply(LeaderboardCard("All-time leaderboard", rows))
        first, last = current_week(now, channel.settings.zone)
        title = f"This week's leaderboard ({first:%d %b}–{last:%d %b})"
        return Reply(LeaderboardCard(title, top_standings(uow, channel, first, now), first, last))

    return await core.db.run(work)


def weekly_card(uow: UnitOfWork, channel: Channel, monday: date, now: datetime) -> LeaderboardCard:
    sunday = monday + timedelta(days=6)
    title = f"Weekly leaderboard: {monday:%d %b}–{sunday:%d %b}"
    rows = top_standings(uow, channel, monday, now)
    moves = _moves(uow, channel, monday, rows)
    return LeaderboardCard(title, rows, monday, sunday, moves)


def _moves(
    uow: UnitOfWork, channel: Channel, monday: date, rows: tuple[Standing, ...]
) -> tuple[int | None, ...]:
    """Places gained (positive) or lost since the week before; None when new to its top 10."""
    week_before = monday - timedelta(days=7)
    ranked = uow.scores.top(channel.id, week_before, LEADERBOARD_SIZE, ANSWER_POINTS, VOTE_POINTS)
    before = {s.member_id: place for place, s in enumerate(ranked, start=1)}
    return tuple(
        before[s.member_id] - place if s.member_id in before else None
        for place, s in enumerate(rows, start=1)
    )


async def streak_card(core: Core, actor: Actor, channel: Channel, now: datetime) -> Reply:
    def work(uow: UnitOfWork) -> Reply:
        reply = read_streak(uow, actor, channel, now)
        uow.commit()
        return reply

    return await core.db.run(work)


def read_streak(uow: UnitOfWork, actor: Actor, channel: Channel, now: datetime) -> Reply:
    """The member's streak card, read (and the member created) in the caller's unit of work."""
    member_id = uow.members.ensure(actor)
    state, current, freezes = attendance.standing(uow, channel, member_id, now)
    week = current_week(now, channel.settings.zone)
    points = uow.scores.member_points(channel.id, member_id, week, ANSWER_POINTS, VOTE_POINTS)
    return Reply(StreakCard(actor.display_name, current, state.longest, freezes, points))


async def queue_weekly_posts(core: Core, now: datetime) -> int:
    """Claim the weekly leaderboard post of every channel whose time has come, once per week
    (unless nobody scored that week); returns how many channels' time had come."""
    queued = 0
    while batch := await core.db.run(lambda uow: _queue_weekly(uow, core, now)):
        queued += batch
    return queued


def _queue_weekly(uow: UnitOfWork, core: Core, now: datetime) -> int:
    due = uow.channels.due_weekly(now)
    for channel in due:
        assert channel.next_weekly_at is not None
        monday, _ = previous_week(channel.next_weekly_at, channel.settings.zone)
        fresh = now - channel.next_weekly_at <= max(core.grace, WEEKLY_LATENESS)
        if fresh and not channel.settings.paused and _anyone_scored(uow, channel, monday):
            post = NewPost(channel.id, PostKind.LEADERBOARD, week_start=monday)
            uow.posts.claim(keys.weekly_post(channel.id, monday), now, post)
        uow.channels.set_next_weekly(channel.id, next_weekly_after(channel.settings, now))
    uow.commit()
    return len(due)


def _anyone_scored(uow: UnitOfWork, channel: Channel, monday: date) -> bool:
    """A week nobody scored in has no leaderboard: none is queued (a thousand empty ones on a
    Monday morning would otherwise stand in the outbox ahead of that morning's drills)."""
    return bool(uow.scores.top(channel.id, monday, 1, ANSWER_POINTS, VOTE_POINTS))
