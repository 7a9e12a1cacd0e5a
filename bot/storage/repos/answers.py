"""Answers (built from thread messages) and the votes they receive, one row per vote."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.core.model import AnswerTally
from bot.storage.repos.sql import insert_ignoring_conflicts
from bot.storage.tables import answer_messages, answers, members, votes


@dataclass(frozen=True)
class AnswerRow:
    id: int
    round_id: int
    member_id: int
    late: bool
    withdrawn: bool
    text: str


def _answer(row: Any) -> AnswerRow:
    return AnswerRow(row.id, row.round_id, row.member_id, row.late, row.withdrawn, row.text)


class AnswerRepo:
    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def get(self, answer_id: int) -> AnswerRow | None:
        row = (await self._c.execute(select(answers).where(answers.c.id == answer_id))).first()
        return _answer(row) if row else None

    async def of_member(self, round_id: int, member_id: int, late: bool) -> AnswerRow | None:
        query = select(answers).where(
            answers.c.round_id == round_id, answers.c.member_id == member_id, answers.c.late == late
        )
        row = (await self._c.execute(query)).first()
        return _answer(row) if row else None

    async def create(self, round_id: int, member_id: int, late: bool, now: datetime) -> int:
        values = dict(
            round_id=round_id,
            member_id=member_id,
            late=late,
            text="",
            withdrawn=False,
            created_at=now,
            updated_at=now,
        )
        result = await self._c.execute(answers.insert().values(**values).returning(answers.c.id))
        return int(result.scalar_one())

    async def add_message(
        self, answer_id: int, round_id: int, message_ref: str, text: str, now: datetime
    ) -> bool:
        """Store one message of an answer; False if this message was stored before."""
        values = dict(
            answer_id=answer_id,
            round_id=round_id,
            message_ref=message_ref,
            text=text,
            deleted=False,
            posted_at=now,
        )
        statement = insert_ignoring_conflicts(self._c, answer_messages).values(**values)
        return (await self._c.execute(statement)).rowcount == 1

    async def message_answer(self, round_id: int, message_ref: str) -> int | None:
        query = select(answer_messages.c.answer_id).where(
            answer_messages.c.round_id == round_id, answer_messages.c.message_ref == message_ref
        )
        found = (await self._c.execute(query)).scalar_one_or_none()
        return int(found) if found is not None else None

    async def change_message(self, round_id: int, message_ref: str, **values: Any) -> None:
        statement = update(answer_messages).where(
            answer_messages.c.round_id == round_id, answer_messages.c.message_ref == message_ref
        )
        await self._c.execute(statement.values(**values))

    async def refresh_text(self, answer_id: int, now: datetime, limit: int) -> str:
        """Rebuild the answer from its live messages, in order; none left means withdrawn."""
        query = (
            select(answer_messages.c.text)
            .where(answer_messages.c.answer_id == answer_id, answer_messages.c.deleted.is_(False))
            .order_by(answer_messages.c.posted_at, answer_messages.c.id)
        )
        parts = list((await self._c.execute(query)).scalars())
        text = "\n".join(parts)[:limit]
        statement = update(answers).where(answers.c.id == answer_id)
        await self._c.execute(statement.values(text=text, withdrawn=not parts, updated_at=now))
        return text

    async def toggle_vote(self, answer_id: int, voter_id: int, now: datetime) -> bool:
        """Withdraw the voter's vote if they have one, else cast it; True when a vote now stands."""
        # Lock the answer row so concurrent clicks on it toggle one after another (PostgreSQL;
        # SQLite's BEGIN IMMEDIATE already serialises writers).
        await self._c.execute(
            select(answers.c.id).where(answers.c.id == answer_id).with_for_update()
        )
        removed = await self._c.execute(
            delete(votes).where(votes.c.answer_id == answer_id, votes.c.voter_id == voter_id)
        )
        if removed.rowcount:
            return False
        values = dict(answer_id=answer_id, voter_id=voter_id, cast_at=now)
        await self._c.execute(insert_ignoring_conflicts(self._c, votes).values(**values))
        return True

    async def vote_count(self, answer_id: int) -> int:
        query = select(func.count()).select_from(votes).where(votes.c.answer_id == answer_id)
        return int((await self._c.execute(query)).scalar_one())

    async def tallies(self, round_id: int) -> list[AnswerTally]:
        """On-time, standing answers of a round with their vote counts."""
        vote_count = select(func.count()).where(votes.c.answer_id == answers.c.id).scalar_subquery()
        first_message = (
            select(answer_messages.c.message_ref)
            .where(answer_messages.c.answer_id == answers.c.id)
            .order_by(answer_messages.c.posted_at, answer_messages.c.id)
            .limit(1)
            .scalar_subquery()
        )
        query = (
            select(
                answers,
                members.c.display_name,
                vote_count.label("votes"),
                first_message.label("ref"),
            )
            .join(members, members.c.id == answers.c.member_id)
            .where(answers.c.round_id == round_id)
            .where(answers.c.late.is_(False), answers.c.withdrawn.is_(False))
            .order_by(answers.c.created_at, answers.c.id)
        )
        return [
            AnswerTally(
                r.id, r.member_id, r.display_name, r.text, int(r.votes), r.created_at, r.ref
            )
            for r in await self._c.execute(query)
        ]

    async def voter_count(self, round_id: int) -> int:
        query = (
            select(func.count(func.distinct(votes.c.voter_id)))
            .join(answers, answers.c.id == votes.c.answer_id)
            .where(answers.c.round_id == round_id)
        )
        return int((await self._c.execute(query)).scalar_one())
