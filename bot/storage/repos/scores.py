"""Settled round scores and the standings read from them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import (
    Connection,
    Date,
    Integer,
    Select,
    bindparam,
    false,
    func,
    literal,
    select,
    union_all,
)

from bot.core.model import Standing
from bot.core.scoring import RoundScore
from bot.core.vocab import RoundMode, RoundStatus
from bot.storage.repos.sql import execute_ignoring_conflicts
from bot.storage.tables import answers, members, round_scores, rounds, votes


def _member_points() -> Select[tuple[int]]:
    """``member_points``' statement, built once: ``/drill streak`` runs it on every call, and
    building it costs more than running it on SQLite."""
    channel_id = bindparam("channel_id", type_=Integer)
    member_id = bindparam("member_id", type_=Integer)
    first, last = bindparam("first", type_=Date), bindparam("last", type_=Date)
    settled = (
        select(func.coalesce(func.sum(round_scores.c.points), 0))
        .where(round_scores.c.channel_id == channel_id, round_scores.c.member_id == member_id)
        .where(round_scores.c.local_date.between(first, last))
    )
    live = (
        select(
            func.count(func.distinct(answers.c.id)) * bindparam("answer_points", type_=Integer)
            + func.count(votes.c.id) * bindparam("vote_points", type_=Integer)
        )
        .select_from(answers)
        .join(rounds, rounds.c.id == answers.c.round_id)
        .outerjoin(votes, votes.c.answer_id == answers.c.id)
        .where(answers.c.member_id == member_id, rounds.c.channel_id == channel_id)
        .where(rounds.c.status == RoundStatus.OPEN, rounds.c.mode == RoundMode.DAILY)
        .where(rounds.c.local_date.between(first, last))
        .where(answers.c.late == false(), answers.c.withdrawn == false())
    )
    return select(settled.scalar_subquery() + live.scalar_subquery())


_MEMBER_POINTS = _member_points()


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
        values = {"channel_id": channel_id, "member_id": member_id, "first": first, "last": last}
        points = {"answer_points": answer_points, "vote_points": vote_points}
        return int(self._c.execute(_MEMBER_POINTS, values | points).scalar_one())

    def top(
        self,
        channel_id: int,
        first: date,
        last: date,
        limit: int,
        answer_points: int,
        vote_points: int,
    ) -> list[Standing]:
        """The leaderboard in one statement: settled scores plus open daily rounds' live tallies,
        ordered like the order in ``tests/support/ranking.py`` (points, votes, answers, name, id), cut to ``limit``."""
        settled = select(
            round_scores.c.member_id,
            round_scores.c.points,
            round_scores.c.answers,
            round_scores.c.votes,
        ).where(
            round_scores.c.channel_id == channel_id, round_scores.c.local_date.between(first, last)
        )
        vote_count = func.count(votes.c.id)
        live = (
            select(
                answers.c.member_id,
                literal(answer_points) + vote_count * vote_points,
                literal(1),
                vote_count,
            )
            .join(rounds, rounds.c.id == answers.c.round_id)
            .outerjoin(votes, votes.c.answer_id == answers.c.id)
            .where(
                rounds.c.channel_id == channel_id,
                rounds.c.status == RoundStatus.OPEN,
                rounds.c.mode == RoundMode.DAILY,
            )
            .where(
                rounds.c.local_date.between(first, last),
                answers.c.late == false(),
                answers.c.withdrawn == false(),
            )
            .group_by(answers.c.id, answers.c.member_id)
        )
        both = union_all(settled, live).subquery()
        points, votes_, answers_ = (
            func.sum(column) for column in (both.c[1], both.c[3], both.c[2])
        )
        query = (
            select(members.c.id, members.c.display_name, points, answers_, votes_)
            .join(members, members.c.id == both.c[0])
            .group_by(members.c.id, members.c.display_name)
            .order_by(
                points.desc(),
                votes_.desc(),
                answers_.desc(),
                func.lower(members.c.display_name),
                members.c.id,
            )
            .limit(limit)
        )
        return [
            Standing(int(i), str(n), int(p), int(a), int(v))
            for i, n, p, a, v in self._c.execute(query)
        ]
