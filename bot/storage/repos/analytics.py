"""What the admin analytics read: a channel's daily rounds over a window, with who answered them
and how fast, and the median answer length (found in the database, not by loading the answers)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Select, distinct, false, func, select

from bot.core.vocab import RoundMode, RoundStatus
from bot.storage.tables import answers, rounds

Row = tuple[int, date, str, str, datetime, int, datetime | None]


def _window(channel_id: int, first: date, last: date) -> Any:
    return (
        (rounds.c.channel_id == channel_id)
        & (rounds.c.mode == RoundMode.DAILY)
        & (rounds.c.status != RoundStatus.SKIPPED)
        & rounds.c.local_date.between(first, last)
    )


def _on_time(query: Select[Any]) -> Select[Any]:
    return query.where(answers.c.late == false(), answers.c.withdrawn == false())


class AnalyticsRepo:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def rounds(self, channel_id: int, first: date, last: date) -> list[Row]:
        """Each daily round: id, date, drill, kind, opened, answerers, first answer's time."""
        joined = rounds.outerjoin(
            answers,
            (answers.c.round_id == rounds.c.id)
            & (answers.c.late == false())
            & (answers.c.withdrawn == false()),
        )
        query = (
            select(
                rounds.c.id,
                rounds.c.local_date,
                rounds.c.drill_id,
                rounds.c.drill_kind,
                rounds.c.opened_at,
                func.count(distinct(answers.c.member_id)),
                func.min(answers.c.created_at),
            )
            .select_from(joined)
            .where(_window(channel_id, first, last))
            .group_by(rounds.c.id)
            .order_by(rounds.c.local_date)
        )
        return [tuple(row) for row in self._c.execute(query)]

    def active_members(self, channel_id: int, first: date, last: date) -> int:
        """Members who answered any daily round of the window on time."""
        query = _on_time(
            select(func.count(distinct(answers.c.member_id)))
            .join(rounds, rounds.c.id == answers.c.round_id)
            .where(_window(channel_id, first, last))
        )
        return int(self._c.execute(query).scalar_one())

    def median_answer_length(self, channel_id: int, first: date, last: date) -> int | None:
        """The middle on-time answer's length in characters (the lower middle for an even count)."""
        length = func.length(answers.c.text)
        base = _on_time(select(length).join(rounds, rounds.c.id == answers.c.round_id)).where(
            _window(channel_id, first, last)
        )
        count = int(self._c.execute(select(func.count()).select_from(base.subquery())).scalar_one())
        if count == 0:
            return None
        middle = base.order_by(length).limit(1).offset((count - 1) // 2)
        return int(self._c.execute(middle).scalar_one())
