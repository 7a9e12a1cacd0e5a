"""Settled round scores and the standings read from them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import Connection, Date, Integer, Select, bindparam, false, func, select

from bot.core.model import Standing
from bot.core.scoring import RoundScore
from bot.core.vocab import RoundMode, RoundStatus
from bot.storage.repos.leaderboard import top_statement
from bot.storage.repos.sql import execute_ignoring_conflicts
from bot.storage.tables import answers, members, round_scores, rounds, votes

_CHANNEL, _MEMBER = bindparam("channel_id", type_=Integer), bindparam("member_id", type_=Integer)
_FIRST, _LAST = bindparam("first", type_=Date), bindparam("last", type_=Date)


def _settled_points() -> Select[tuple[int]]:
    return (
        select(func.coalesce(func.sum(round_scores.c.points), 0))
        .where(round_scores.c.channel_id == _CHANNEL, round_scores.c.member_id == _MEMBER)
        .where(round_scores.c.local_date.between(_FIRST, _LAST))
    )


def _live_points() -> Select[tuple[int]]:
    """What the member's answers in open daily rounds have earned so far (no bonus yet)."""
    answer_points = bindparam("answer_points", type_=Integer)
    vote_points = bindparam("vote_points", type_=Integer)
    points = func.count(func.distinct(answers.c.id)) * answer_points
    return (
        select(points + func.count(votes.c.id) * vote_points)
        .select_from(answers)
        .join(rounds, rounds.c.id == answers.c.round_id)
        .outerjoin(votes, votes.c.answer_id == answers.c.id)
        .where(answers.c.member_id == _MEMBER, rounds.c.channel_id == _CHANNEL)
        .where(rounds.c.status == RoundStatus.OPEN, rounds.c.mode == RoundMode.DAILY)
        .where(rounds.c.local_date.between(_FIRST, _LAST))
        .where(answers.c.late == false(), answers.c.withdrawn == false())
    )


# Read by ``streak``, App Home and the stats card: built once, run with bind parameters.
_MEMBER_POINTS = select(_settled_points().scalar_subquery() + _live_points().scalar_subquery())


class ScoreRepo:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def settle(
        self, round_id: int, channel_id: int, day: date, scores: Sequence[RoundScore]
    ) -> None:
        """Write a round's final scores; a round settled twice keeps its first scores."""
        if not scores:
            return
        rows = [
            dict(
                round_id=round_id,
                channel_id=channel_id,
                member_id=s.member_id,
                local_date=day,
                answers=s.answers,
                votes=s.votes,
                bonus=s.bonus,
                reviews=s.reviews,
                reviewing=s.reviewing,
                points=s.points,
            )
            for s in scores
        ]
        execute_ignoring_conflicts(self._c, round_scores, rows)

    def on_demand_points(self, channel_id: int, member_id: int, day: date) -> int:
        """Points the member's on-demand answers earned on local ``day`` in the channel."""
        query = (
            select(func.coalesce(func.sum(round_scores.c.points), 0))
            .join(rounds, rounds.c.id == round_scores.c.round_id)
            .where(round_scores.c.channel_id == channel_id, round_scores.c.member_id == member_id)
            .where(round_scores.c.local_date == day, rounds.c.mode == RoundMode.ON_DEMAND)
        )
        return int(self._c.execute(query).scalar_one())

    def points_by_day(
        self, channel_id: int, member_id: int, first: date, last: date
    ) -> dict[date, int]:
        """The member's settled points per local date from ``first`` to ``last``."""
        query = (
            select(round_scores.c.local_date, func.sum(round_scores.c.points))
            .where(round_scores.c.channel_id == channel_id, round_scores.c.member_id == member_id)
            .where(round_scores.c.local_date.between(first, last))
            .group_by(round_scores.c.local_date)
        )
        return {day: int(points) for day, points in self._c.execute(query)}

    def standings(
        self, channel_id: int, first: date | None = None, last: date | None = None
    ) -> list[Standing]:
        """Settled totals per member for the dates given (all time when none)."""
        query = (
            select(
                round_scores.c.member_id,
                members.c.display_name,
                func.sum(round_scores.c.points).label("points"),
                func.sum(round_scores.c.answers).label("answers"),
                func.sum(round_scores.c.votes).label("votes"),
            )
            .join(members, members.c.id == round_scores.c.member_id)
            .where(round_scores.c.channel_id == channel_id)
            .group_by(round_scores.c.member_id, members.c.display_name)
        )
        if first is not None and last is not None:
            query = query.where(round_scores.c.local_date.between(first, last))
        return [
            Standing(r.member_id, r.display_name, int(r.points), int(r.answers), int(r.votes))
            for r in self._c.execute(query)
        ]

    def member_points(
        self,
        channel_id: int,
        member_id: int,
        days: tuple[date, date],
        answer_points: int,
        vote_points: int,
    ) -> int:
        """One member's points over ``days``: settled scores plus open daily rounds' live tallies
        (no bonus yet), in one statement over the member's own rows."""
        first, last = days
        params = {"channel_id": channel_id, "member_id": member_id, "first": first, "last": last}
        params |= {"answer_points": answer_points, "vote_points": vote_points}
        return int(self._c.execute(_MEMBER_POINTS, params).scalar_one())

    def top(
        self,
        channel_id: int,
        monday: date | None,
        limit: int,
        answer_points: int,
        vote_points: int,
    ) -> list[Standing]:
        """The leaderboard of the week from ``monday`` (all time when None) in one statement:
        settled totals plus open daily rounds' live tallies, ranked (``repos.leaderboard``) and
        cut to ``limit``."""
        first, last = (monday, monday + timedelta(days=6)) if monday else (date.min, date.max)
        params = {"channel_id": channel_id, "week_start": monday, "first": first, "last": last}
        params |= {"places": limit, "answer_points": answer_points, "vote_points": vote_points}
        return [
            Standing(int(i), str(n), int(p), int(a), int(v))
            for i, n, p, a, v in self._c.execute(top_statement(monday is None), params)
        ]
