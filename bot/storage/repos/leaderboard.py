"""The leaderboard statement: running totals plus open rounds' live tallies, ranked in the database.

A leaderboard reads one row per member from ``weekly_totals`` or ``all_time_totals`` (kept by a
trigger on ``round_scores``), never the rounds behind them, so its cost follows the number of
members, not the length of the channel's history. Only members who can still reach the top are
named and sorted: those whose points reach the ``places``-th best settled points (whoever is below
that has ``places`` members ahead for good, since live points only add), settled alone or with
live points.

Each statement (a week, all time) is built once with bind parameters and reused: building and
keying a statement this size costs more than SQLite takes to run it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    Date,
    Integer,
    Select,
    Table,
    and_,
    bindparam,
    false,
    func,
    select,
    union_all,
)

from bot.core.vocab import RoundMode, RoundStatus
from bot.storage.tables import all_time_totals, answers, members, rounds, votes, weekly_totals

_LOWEST = -(2**31)  # below any points: with fewer members than places, everyone is in reach


@cache
def top_statement(all_time: bool) -> Select[Any]:
    """Parameters: channel_id, week_start (a week's), first and last (the live rounds' dates),
    places, answer_points and vote_points. Rows: member id, name, points, answers, votes."""
    table, scope = _scope(all_time)
    live = _live_tallies().cte("live")
    bar = _nth_best(select(table.c.points).where(scope), table.c.points)
    settled_only = select(table.c.member_id, table.c.points, table.c.answers, table.c.votes)
    settled_only = settled_only.where(scope, table.c.points >= bar)
    settled_only = settled_only.where(table.c.member_id.not_in(select(live.c.member_id)))
    candidates = union_all(settled_only, _live_and_settled(table, scope, live, bar))
    return _ranked(candidates.cte("candidates"))


def _nth_best(points: Select[Any], column: ColumnElement[Any]) -> ColumnElement[Any]:
    """The ``places``-th best of ``points`` (the lowest possible when there are fewer)."""
    places = bindparam("places", type_=Integer)
    nth = points.order_by(column.desc()).offset(places - 1).limit(1).scalar_subquery()
    return func.coalesce(nth, _LOWEST)


def _live_and_settled(
    table: Table, scope: ColumnElement[bool], live: CTE, bar: ColumnElement[Any]
) -> Select[Any]:
    """Members with live points, their settled sums added, unless they stay below ``bar``."""
    # The live members lead this join, so each one's settled row is found by its key.
    settled = live.outerjoin(table, and_(table.c.member_id == live.c.member_id, scope))
    live_points = live.c.answers * bindparam("answer_points", type_=Integer)
    live_points += live.c.votes * bindparam("vote_points", type_=Integer)
    total = live_points + func.coalesce(table.c.points, 0)
    answers_ = live.c.answers + func.coalesce(table.c.answers, 0)
    votes_ = live.c.votes + func.coalesce(table.c.votes, 0)
    return (
        select(live.c.member_id, total, answers_, votes_).select_from(settled).where(total >= bar)
    )


def _scope(all_time: bool) -> tuple[Table, ColumnElement[bool]]:
    """The running sums to rank and the rows of them that belong to the period."""
    if all_time:
        return all_time_totals, all_time_totals.c.channel_id == bindparam("channel_id")
    week = weekly_totals.c
    in_week = week.week_start == bindparam("week_start", type_=Date)
    return weekly_totals, and_(week.channel_id == bindparam("channel_id"), in_week)


def _live_tallies() -> Select[Any]:
    """(member_id, answers, votes) per member over the on-time, standing answers in the channel's
    open daily rounds from ``first`` to ``last``: what those rounds earned so far (no bonus yet)."""
    vote_count = select(func.count()).where(votes.c.answer_id == answers.c.id).scalar_subquery()
    days = rounds.c.local_date.between(
        bindparam("first", type_=Date), bindparam("last", type_=Date)
    )
    return (
        select(
            answers.c.member_id, func.count().label("answers"), func.sum(vote_count).label("votes")
        )
        .join(rounds, rounds.c.id == answers.c.round_id)
        .where(rounds.c.channel_id == bindparam("channel_id"), days)
        .where(rounds.c.status == RoundStatus.OPEN, rounds.c.mode == RoundMode.DAILY)
        .where(answers.c.late == false(), answers.c.withdrawn == false())
        .group_by(answers.c.member_id)
    )


def _ranked(candidates: CTE) -> Select[Any]:
    """``candidates`` (member_id, points, answers, votes; a row a member) named and ordered like
    ``tests/support/ranking.py``: points, votes, answers, name, id. Only those whose points reach
    the ``places``-th best are named, each by its key: ties on points are few, members many (a
    join would make PostgreSQL hash all of them)."""
    points = candidates.c.points
    name = select(members.c.display_name).where(members.c.id == candidates.c.member_id)
    reaching = (
        select(candidates, name.scalar_subquery().label("display_name"))
        .where(points >= _nth_best(select(points), points))
        .subquery()
    )
    found = reaching.c
    return (
        select(found.member_id, found.display_name, found.points, found.answers, found.votes)
        .order_by(
            found.points.desc(),
            found.votes.desc(),
            found.answers.desc(),
            func.lower(found.display_name),
            found.member_id,
        )
        .limit(bindparam("places", type_=Integer))
    )
