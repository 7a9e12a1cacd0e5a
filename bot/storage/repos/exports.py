"""A channel's history as rows, streamed: each file of an export is one query read in batches
(``yield_per``: a server-side cursor on PostgreSQL, ``fetchmany`` on SQLite), so memory stays flat
however many votes a channel has.

Members appear by their platform user id and display name, never by a database id, so an export
can be imported into another database (``bot.storage.archive_import``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import Connection, Select, func, or_, select

from bot.storage.tables import (
    answers,
    members,
    reviews,
    round_scores,
    rounds,
    streak_events,
    votes,
)

BATCH = 1000
Query = Callable[[int, int | None], Select[Any]]


def _rounds(channel_id: int, member_id: int | None) -> Select[Any]:
    r = rounds.c
    return (
        select(
            r.id.label("round_id"),
            r.local_date,
            r.mode,
            r.drill_id,
            r.drill_kind,
            r.status,
            r.opened_at,
            r.closes_at,
            r.closed_at,
        )
        .where(r.channel_id == channel_id)
        .order_by(r.id)
    )


def _answers(channel_id: int, member_id: int | None) -> Select[Any]:
    a = answers.c
    query = (
        select(
            a.id.label("answer_id"),
            a.round_id,
            rounds.c.local_date,
            rounds.c.drill_id,
            members.c.user_ref,
            members.c.display_name,
            a.late,
            a.withdrawn,
            a.created_at,
            a.updated_at,
            func.length(a.text).label("length"),
            a.text,
        )
        .join(rounds, rounds.c.id == a.round_id)
        .join(members, members.c.id == a.member_id)
        .where(rounds.c.channel_id == channel_id)
        .order_by(a.id)
    )
    return query.where(a.member_id == member_id) if member_id is not None else query


def _votes(channel_id: int, member_id: int | None) -> Select[Any]:
    v = votes.c
    return (
        select(
            v.answer_id,
            members.c.user_ref.label("voter_ref"),
            members.c.display_name.label("voter_name"),
            v.cast_at,
        )
        .join(answers, answers.c.id == v.answer_id)
        .join(rounds, rounds.c.id == answers.c.round_id)
        .join(members, members.c.id == v.voter_id)
        .where(rounds.c.channel_id == channel_id)
        .order_by(v.id)
    )


def _reviews(channel_id: int, member_id: int | None) -> Select[Any]:
    r = reviews.c
    query = (
        select(
            r.answer_id,
            members.c.user_ref.label("reviewer_ref"),
            members.c.display_name.label("reviewer_name"),
            r.points,
            r.read,
            r.note,
            r.self_assessed,
            r.created_at,
            r.updated_at,
        )
        .join(answers, answers.c.id == r.answer_id)
        .join(rounds, rounds.c.id == answers.c.round_id)
        .join(members, members.c.id == r.reviewer_id)
        .where(rounds.c.channel_id == channel_id)
        .order_by(r.id)
    )
    if member_id is None:
        return query
    return query.where(or_(r.reviewer_id == member_id, answers.c.member_id == member_id))


def _scores(channel_id: int, member_id: int | None) -> Select[Any]:
    s = round_scores.c
    query = (
        select(
            s.round_id,
            members.c.user_ref,
            members.c.display_name,
            s.local_date,
            s.answers,
            s.votes,
            s.bonus,
            s.reviews,
            s.reviewing,
            s.points,
        )
        .join(members, members.c.id == s.member_id)
        .where(s.channel_id == channel_id)
        .order_by(s.id)
    )
    return query.where(s.member_id == member_id) if member_id is not None else query


def _standings(channel_id: int, member_id: int | None) -> Select[Any]:
    s = round_scores.c
    points = func.sum(s.points)
    return (
        select(
            members.c.user_ref,
            members.c.display_name,
            points.label("points"),
            func.sum(s.answers).label("answers"),
            func.sum(s.votes).label("votes"),
        )
        .join(members, members.c.id == s.member_id)
        .where(s.channel_id == channel_id)
        .group_by(members.c.id, members.c.user_ref, members.c.display_name)
        .order_by(points.desc(), members.c.id)
    )


def _streak_events(channel_id: int, member_id: int | None) -> Select[Any]:
    e = streak_events.c
    return (
        select(
            members.c.user_ref,
            members.c.display_name,
            e.day,
            e.kind,
            e.count,
            e.reason,
            e.created_at,
        )
        .join(members, members.c.id == e.member_id)
        .where(e.channel_id == channel_id)
        .order_by(e.id)
    )


QUERIES: dict[str, Query] = {
    "rounds": _rounds,
    "answers": _answers,
    "votes": _votes,
    "reviews": _reviews,
    "scores": _scores,
    "standings": _standings,
    "streak_events": _streak_events,
}


class ExportRepo:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def columns(self, name: str) -> tuple[str, ...]:
        return tuple(QUERIES[name](0, None).selected_columns.keys())

    def rows(
        self, name: str, channel_id: int, member_id: int | None = None
    ) -> Iterator[tuple[Any, ...]]:
        """The file's rows in batches of ``BATCH``; only one batch is held at a time."""
        query = QUERIES[name](channel_id, member_id).execution_options(yield_per=BATCH)
        result = self._c.execute(query)
        for partition in result.partitions():
            yield from (tuple(row) for row in partition)
