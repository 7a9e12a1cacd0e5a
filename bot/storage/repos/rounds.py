"""Rounds: claimed under a unique key before anything is posted."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, case, delete, func, select, update

from bot.core.model import NewRound, Round
from bot.core.vocab import RoundMode, RoundStatus
from bot.storage.repos.sql import execute_ignoring_conflicts, insert_ignoring_conflicts
from bot.storage.tables import answers, fact_requests, rounds

_GET = select(rounds).where(rounds.c.id == bindparam("round_id"))
_BY_THREAD = (
    select(rounds)
    .where(rounds.c.thread_ref == bindparam("thread_ref"))
    .order_by(rounds.c.id.desc())
    .limit(1)
)
# Read for every streak shown (``streak``, App Home, leaderboards): built once, run with bind
# parameters.
_DRILL_DAYS = (
    select(rounds.c.local_date)
    .where(rounds.c.channel_id == bindparam("channel_id"), rounds.c.mode == RoundMode.DAILY)
    .where(rounds.c.status != RoundStatus.SKIPPED)
    .where(rounds.c.local_date > bindparam("after"), rounds.c.local_date < bindparam("before"))
    .order_by(rounds.c.local_date)
)


def round_from_row(row: Any) -> Round:
    return Round(
        id=row.id,
        channel_id=row.channel_id,
        mode=RoundMode(row.mode),
        local_date=row.local_date,
        drill_id=row.drill_id,
        status=RoundStatus(row.status),
        opened_at=row.opened_at,
        closes_at=row.closes_at,
        requested_by=row.requested_by,
        message_ref=row.message_ref,
        thread_ref=row.thread_ref,
        answers_close_at=row.answers_close_at,
    )


class RoundRepo:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def claim(self, claim_key: str, new: NewRound) -> int | None:
        """Insert the round unless ``claim_key`` is taken; the new id, or None if someone has it."""
        statement = insert_ignoring_conflicts(self._c, rounds).returning(rounds.c.id)
        result = self._c.execute(statement, {"claim_key": claim_key, **vars(new)})
        found = result.scalar_one_or_none()
        return int(found) if found is not None else None

    def get(self, round_id: int) -> Round | None:
        row = self._c.execute(_GET, {"round_id": round_id}).first()
        return round_from_row(row) if row else None

    def by_thread(self, thread_ref: str) -> Round | None:
        row = self._c.execute(_BY_THREAD, {"thread_ref": thread_ref}).first()
        return round_from_row(row) if row else None

    def daily_on(self, channel_id: int, day: date) -> Round | None:
        query = select(rounds).where(
            rounds.c.channel_id == channel_id,
            rounds.c.mode == RoundMode.DAILY,
            rounds.c.local_date == day,
        )
        row = (self._c.execute(query)).first()
        return round_from_row(row) if row else None

    def set_place(self, round_id: int, message_ref: str, thread_ref: str | None) -> None:
        statement = update(rounds).where(rounds.c.id == round_id)
        self._c.execute(statement.values(message_ref=message_ref, thread_ref=thread_ref))

    def due_to_close(self, now: datetime, limit: int = 500) -> list[Round]:
        query = (
            select(rounds)
            .where(rounds.c.status == RoundStatus.OPEN, rounds.c.closes_at <= now)
            .order_by(rounds.c.closes_at, rounds.c.id)
            .limit(limit)
        )
        return [round_from_row(row) for row in self._c.execute(query)]

    def due_to_reveal(self, now: datetime, limit: int = 500) -> list[Round]:
        """Blind rounds whose answer window has ended and whose answers are not yet revealed."""
        query = (
            select(rounds)
            .where(rounds.c.status == RoundStatus.OPEN, rounds.c.revealed_at.is_(None))
            .where(rounds.c.answers_close_at <= now)
            .order_by(rounds.c.answers_close_at, rounds.c.id)
            .limit(limit)
        )
        return [round_from_row(row) for row in self._c.execute(query)]

    def mark_revealed(self, round_id: int, now: datetime) -> bool:
        """False when another worker revealed the round first."""
        statement = (
            update(rounds)
            .where(rounds.c.id == round_id, rounds.c.revealed_at.is_(None))
            .values(revealed_at=now)
        )
        return (self._c.execute(statement)).rowcount == 1

    def earliest_reveal(self) -> datetime | None:
        query = select(func.min(rounds.c.answers_close_at)).where(
            rounds.c.status == RoundStatus.OPEN, rounds.c.revealed_at.is_(None)
        )
        found: datetime | None = self._c.execute(query).scalar_one_or_none()
        return found

    def close(self, round_id: int, now: datetime) -> bool:
        """Mark the round closed; False when another worker closed it first."""
        statement = (
            update(rounds)
            .where(rounds.c.id == round_id, rounds.c.status == RoundStatus.OPEN)
            .values(status=RoundStatus.CLOSED, closed_at=now)
        )
        return (self._c.execute(statement)).rowcount == 1

    def drill_days(self, channel_id: int, after: date, before: date) -> list[date]:
        """Local dates strictly between ``after`` and ``before`` on which a daily drill was posted."""
        params = {"channel_id": channel_id, "after": after, "before": before}
        return list(self._c.execute(_DRILL_DAYS, params).scalars())

    def is_drill_day(self, channel_id: int, day: date) -> bool:
        found = self.daily_on(channel_id, day)
        return found is not None and found.status is not RoundStatus.SKIPPED

    def daily_dates(self, channel_id: int, first: date) -> set[date]:
        """Local dates from ``first`` on that already have a daily round, posted or skipped."""
        query = select(rounds.c.local_date).where(
            rounds.c.channel_id == channel_id,
            rounds.c.mode == RoundMode.DAILY,
            rounds.c.local_date >= first,
        )
        return set(self._c.execute(query).scalars())

    def skipped_from(self, channel_id: int, first: date) -> list[date]:
        query = select(rounds.c.local_date).where(
            rounds.c.channel_id == channel_id,
            rounds.c.mode == RoundMode.DAILY,
            rounds.c.status == RoundStatus.SKIPPED,
            rounds.c.local_date >= first,
        )
        return list(self._c.execute(query).scalars())

    def unskip(self, channel_id: int, day: date) -> bool:
        """Remove the skip claimed for ``day``, so the date can be posted again."""
        statement = delete(rounds).where(
            rounds.c.channel_id == channel_id,
            rounds.c.mode == RoundMode.DAILY,
            rounds.c.local_date == day,
            rounds.c.status == RoundStatus.SKIPPED,
        )
        return bool(self._c.execute(statement).rowcount)

    def latest_open_daily(self, channel_id: int, shown_at: datetime | None = None) -> Round | None:
        """The newest open daily round; with ``shown_at``, one whose answers are shown then comes
        first (a blind round in its review window before the next, still private, drill)."""
        order: list[Any] = [rounds.c.opened_at.desc(), rounds.c.id.desc()]
        if shown_at is not None:
            order.insert(0, case((rounds.c.answers_close_at > shown_at, 1), else_=0))
        query = (
            select(rounds)
            .where(rounds.c.channel_id == channel_id, rounds.c.mode == RoundMode.DAILY)
            .where(rounds.c.status == RoundStatus.OPEN)
            .order_by(*order)
            .limit(1)
        )
        row = self._c.execute(query).first()
        return round_from_row(row) if row else None

    def latest_open_for(self, channel_id: int, member_id: int) -> Round | None:
        """The newest open round in the channel that the member may answer: daily, or their own."""
        query = (
            select(rounds)
            .where(rounds.c.channel_id == channel_id, rounds.c.status == RoundStatus.OPEN)
            .where((rounds.c.mode == RoundMode.DAILY) | (rounds.c.requested_by == member_id))
            .order_by(rounds.c.opened_at.desc(), rounds.c.id.desc())
            .limit(1)
        )
        row = self._c.execute(query).first()
        return round_from_row(row) if row else None

    def latest_on_demand_of(self, channel_id: int, member_id: int) -> Round | None:
        """The member's newest on-demand round in the channel, open or closed."""
        query = (
            select(rounds)
            .where(rounds.c.channel_id == channel_id, rounds.c.requested_by == member_id)
            .where(rounds.c.mode == RoundMode.ON_DEMAND)
            .order_by(rounds.c.opened_at.desc(), rounds.c.id.desc())
            .limit(1)
        )
        row = self._c.execute(query).first()
        return round_from_row(row) if row else None

    def record_question(
        self, round_id: int, member_id: int, fact_index: int, now: datetime
    ) -> None:
        """Remember that the member asked for fact ``fact_index`` (once; asking again is fine)."""
        row = dict(round_id=round_id, member_id=member_id, fact_index=fact_index, asked_at=now)
        execute_ignoring_conflicts(self._c, fact_requests, row)

    def questions_asked(self, round_id: int, member_id: int) -> list[int]:
        query = select(fact_requests.c.fact_index).where(
            fact_requests.c.round_id == round_id, fact_requests.c.member_id == member_id
        )
        return sorted(self._c.execute(query).scalars())

    def open_in(self, channel_id: int, first: date, last: date) -> list[Round]:
        query = select(rounds).where(
            rounds.c.channel_id == channel_id,
            rounds.c.status == RoundStatus.OPEN,
            rounds.c.local_date.between(first, last),
        )
        return [round_from_row(row) for row in self._c.execute(query)]

    def kind_counts(self, channel_id: int) -> dict[str, int]:
        query = (
            select(rounds.c.drill_kind, func.count())
            .where(rounds.c.channel_id == channel_id, rounds.c.mode == RoundMode.DAILY)
            .where(rounds.c.status != RoundStatus.SKIPPED)
            .group_by(rounds.c.drill_kind)
        )
        return {kind: int(count) for kind, count in self._c.execute(query)}

    def drill_uses(self, channel_id: int, drill_ids: Sequence[str]) -> dict[str, int]:
        query = (
            select(rounds.c.drill_id, func.count())
            .where(rounds.c.channel_id == channel_id, rounds.c.mode == RoundMode.DAILY)
            .where(rounds.c.status != RoundStatus.SKIPPED, rounds.c.drill_id.in_(drill_ids))
            .group_by(rounds.c.drill_id)
        )
        return {drill_id: int(count) for drill_id, count in self._c.execute(query)}

    def on_demand_drills(self, channel_id: int) -> set[str]:
        """Drills any member of the channel asked for on demand (and so may have seen answered)."""
        query = select(rounds.c.drill_id).where(
            rounds.c.channel_id == channel_id, rounds.c.mode == RoundMode.ON_DEMAND
        )
        return set(self._c.execute(query.distinct()).scalars())

    def open_daily_drills(self, channel_id: int) -> set[str]:
        query = select(rounds.c.drill_id).where(
            rounds.c.channel_id == channel_id,
            rounds.c.mode == RoundMode.DAILY,
            rounds.c.status == RoundStatus.OPEN,
        )
        return set(self._c.execute(query).scalars())

    def revealed_drills(self, channel_id: int) -> set[str]:
        """Drills whose daily round closed here: their results (and rubric) are public."""
        query = select(rounds.c.drill_id).where(
            rounds.c.channel_id == channel_id,
            rounds.c.mode == RoundMode.DAILY,
            rounds.c.status == RoundStatus.CLOSED,
        )
        return set(self._c.execute(query.distinct()).scalars())

    def seen_by(self, channel_id: int, member_id: int) -> dict[str, int]:
        """Drills the member asked for or answered here, mapped to the latest round id."""
        asked = select(rounds.c.drill_id, rounds.c.id).where(
            rounds.c.channel_id == channel_id, rounds.c.requested_by == member_id
        )
        answered = (
            select(rounds.c.drill_id, rounds.c.id)
            .join(answers, answers.c.round_id == rounds.c.id)
            .where(rounds.c.channel_id == channel_id, answers.c.member_id == member_id)
        )
        seen: dict[str, int] = {}
        for query in (asked, answered):
            for drill_id, round_id in self._c.execute(query):
                seen[drill_id] = max(seen.get(drill_id, 0), int(round_id))
        return seen

    def count_open(self) -> int:
        query = select(func.count()).select_from(rounds).where(rounds.c.status == RoundStatus.OPEN)
        return int((self._c.execute(query)).scalar_one())

    def by_key(self, claim_key: str) -> Round | None:
        row = (self._c.execute(select(rounds).where(rounds.c.claim_key == claim_key))).first()
        return round_from_row(row) if row else None

    def earliest_close(self) -> datetime | None:
        query = select(func.min(rounds.c.closes_at)).where(rounds.c.status == RoundStatus.OPEN)
        value: datetime | None = (self._c.execute(query)).scalar_one()
        return value
