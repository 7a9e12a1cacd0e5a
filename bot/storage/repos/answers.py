"""Answers (built from thread messages) and the votes they receive, one row per vote."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, literal_column, select, update

from bot.core.model import AnswerTally, MemberAnswer
from bot.core.vocab import RoundMode
from bot.storage.repos.sql import execute_hot, execute_ignoring_conflicts
from bot.storage.tables import answer_messages, answers, members, rounds, votes

_GET = select(answers).where(answers.c.id == bindparam("answer_id"))
_OF_MEMBER = select(answers).where(
    answers.c.round_id == bindparam("round_id"),
    answers.c.member_id == bindparam("member_id"),
    answers.c.late == bindparam("late"),
)
_LOCK = (  # NO KEY UPDATE: the messages' foreign keys hold KEY SHARE locks on the answer
    select(answers.c.id)
    .where(answers.c.id == bindparam("answer_id"))
    .with_for_update(key_share=True)
)
# The answer's number in its round comes back with it: the round's answers, this one included
# (used where writers take turns, on SQLite; PostgreSQL numbers in its own statement).
_IN_ROUND = (
    select(func.count())
    .select_from(answers.alias("given"))
    .where(literal_column("given.round_id") == bindparam("in_round"))
    .scalar_subquery()
)
_NEW_ANSWER = answers.insert().returning(answers.c.id, _IN_ROUND)
_NUMBER = select(func.count()).where(
    answers.c.round_id == bindparam("round_id"), answers.c.id <= bindparam("answer_id")
)
_LIVE_VOTES = (
    select(answers.c.member_id, members.c.display_name, func.count(votes.c.id))
    .join(members, members.c.id == answers.c.member_id)
    .outerjoin(votes, votes.c.answer_id == answers.c.id)
    .where(answers.c.round_id == bindparam("round_id"))
    .where(answers.c.late.is_(False), answers.c.withdrawn.is_(False))
    .group_by(answers.c.id, answers.c.member_id, members.c.display_name)
)


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
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def get(self, answer_id: int) -> AnswerRow | None:
        row = self._c.execute(_GET, {"answer_id": answer_id}).first()
        return _answer(row) if row else None

    def of_member(self, round_id: int, member_id: int, late: bool) -> AnswerRow | None:
        params = {"round_id": round_id, "member_id": member_id, "late": late}
        row = self._c.execute(_OF_MEMBER, params).first()
        return _answer(row) if row else None

    def create(
        self, round_id: int, member_id: int, late: bool, text: str, now: datetime
    ) -> tuple[int, int]:
        """A new answer whose text starts as its first message: (its id, the round's answers
        now, which is its number where writers take turns)."""
        values = dict(
            round_id=round_id,
            member_id=member_id,
            late=late,
            text=text,
            withdrawn=False,
            created_at=now,
            updated_at=now,
            in_round=round_id,
        )
        [(answer_id, count)] = execute_hot(self._c, _NEW_ANSWER, values).fetchall()
        return int(answer_id), int(count)

    def add_message(
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
        return execute_ignoring_conflicts(self._c, answer_messages, values).rowcount == 1

    def number_in_round(self, round_id: int, answer_id: int) -> int:
        """The answer's number in its round: 1 for the first answer given, and so on."""
        found = self._c.execute(_NUMBER, {"round_id": round_id, "answer_id": answer_id})
        return int(found.scalar_one())

    def by_number(self, round_id: int, number: int) -> int | None:
        """The id of the round's answer numbered ``number``, if there is one."""
        query = (
            select(answers.c.id)
            .where(answers.c.round_id == round_id)
            .order_by(answers.c.id)
            .offset(number - 1)
            .limit(1)
        )
        found = self._c.execute(query).scalar_one_or_none()
        return int(found) if found is not None else None

    def message_state(self, round_id: int, message_ref: str) -> tuple[int, bool] | None:
        """The answer a message belongs to and whether the message was deleted."""
        query = select(answer_messages.c.answer_id, answer_messages.c.deleted).where(
            answer_messages.c.round_id == round_id, answer_messages.c.message_ref == message_ref
        )
        row = self._c.execute(query).first()
        return (int(row.answer_id), bool(row.deleted)) if row else None

    def round_of(self, answer_id: int) -> int | None:
        found = self._c.execute(_GET, {"answer_id": answer_id}).first()
        return int(found.round_id) if found else None

    def channel_of(self, answer_id: int) -> int | None:
        query = select(rounds.c.channel_id).join(answers, answers.c.round_id == rounds.c.id)
        found = self._c.execute(query.where(answers.c.id == answer_id)).scalar_one_or_none()
        return int(found) if found is not None else None

    def author_of(self, answer_id: int) -> int | None:
        query = select(answers.c.member_id).where(answers.c.id == answer_id)
        found = self._c.execute(query).scalar_one_or_none()
        return int(found) if found is not None else None

    def drop_votes(self, answer_id: int) -> None:
        """A withdrawn answer's votes go for good (they never come back if its author posts again)."""
        self._c.execute(delete(votes).where(votes.c.answer_id == answer_id))

    def message_answer(self, round_id: int, message_ref: str) -> int | None:
        query = select(answer_messages.c.answer_id).where(
            answer_messages.c.round_id == round_id, answer_messages.c.message_ref == message_ref
        )
        found = (self._c.execute(query)).scalar_one_or_none()
        return int(found) if found is not None else None

    def change_message(self, round_id: int, message_ref: str, **values: Any) -> None:
        statement = update(answer_messages).where(
            answer_messages.c.round_id == round_id, answer_messages.c.message_ref == message_ref
        )
        self._c.execute(statement.values(**values))

    def refresh_text(self, answer_id: int, now: datetime, limit: int) -> str:
        """Rebuild the answer from its live messages, in order; none left means withdrawn."""
        if self._c.dialect.name == "postgresql":
            # Messages of one answer stored at once: each rebuild waits for the one before to
            # commit, and so reads its message too (SQLite's writers already take turns).
            self._c.execute(_LOCK, {"answer_id": answer_id})
        query = (
            select(answer_messages.c.text)
            .where(answer_messages.c.answer_id == answer_id, answer_messages.c.deleted.is_(False))
            .order_by(answer_messages.c.posted_at, answer_messages.c.id)
        )
        parts = list((self._c.execute(query)).scalars())
        text = "\n".join(parts)[:limit]
        statement = update(answers).where(answers.c.id == answer_id)
        self._c.execute(statement.values(text=text, withdrawn=not parts, updated_at=now))
        if not parts:
            self.drop_votes(answer_id)
        return text

    def tallies(self, round_id: int) -> list[AnswerTally]:
        """On-time, standing answers of a round with their vote counts."""
        vote_count = select(func.count()).where(votes.c.answer_id == answers.c.id).scalar_subquery()
        first_message = (
            select(answer_messages.c.message_ref)
            .where(answer_messages.c.answer_id == answers.c.id)
            .order_by(answer_messages.c.posted_at, answer_messages.c.id)
            .limit(1)
            .scalar_subquery()
        )
        earlier = answers.alias("earlier")
        number = (
            select(func.count())
            .where(earlier.c.round_id == answers.c.round_id, earlier.c.id <= answers.c.id)
            .scalar_subquery()
        )
        query = (
            select(
                answers,
                members.c.display_name,
                vote_count.label("votes"),
                first_message.label("ref"),
                number.label("number"),
            )
            .join(members, members.c.id == answers.c.member_id)
            .where(answers.c.round_id == round_id)
            .where(answers.c.late.is_(False), answers.c.withdrawn.is_(False))
            .order_by(answers.c.created_at, answers.c.id)
        )
        return [
            AnswerTally(
                r.id,
                r.member_id,
                r.display_name,
                r.text,
                int(r.votes),
                r.created_at,
                r.ref,
                int(r.number),
            )
            for r in self._c.execute(query)
        ]

    def message_author(
        self, platform: str, space_ref: str, message_ref: str
    ) -> tuple[str, str | None] | None:
        """(author's user ref, round's thread) of a stored answer message in a space."""
        query = (
            select(members.c.user_ref, rounds.c.thread_ref)
            .select_from(answer_messages)
            .join(answers, answers.c.id == answer_messages.c.answer_id)
            .join(members, members.c.id == answers.c.member_id)
            .join(rounds, rounds.c.id == answer_messages.c.round_id)
            .where(answer_messages.c.message_ref == message_ref)
            .where(members.c.platform == platform, members.c.space_ref == space_ref)
            .order_by(answer_messages.c.id.desc())
            .limit(1)
        )
        row = self._c.execute(query).first()
        return None if row is None else (row.user_ref, row.thread_ref)

    def highest_numbered_ref(self, prefix: str) -> int:
        """The largest N among message refs shaped like ``{prefix}N`` (the console's own ids)."""
        query = select(answer_messages.c.message_ref).where(
            answer_messages.c.message_ref.like(f"{prefix}%")
        )
        numbers = [ref[len(prefix) :] for ref in self._c.execute(query).scalars()]
        return max((int(n) for n in numbers if n.isdigit()), default=0)

    def live_votes(self, round_id: int) -> list[tuple[int, str, int]]:
        """(member id, name, votes) for each on-time, standing answer of an open round."""
        params = {"round_id": round_id}
        return [(int(m), str(n), int(v)) for m, n, v in self._c.execute(_LIVE_VOTES, params)]

    def voter_count(self, round_id: int) -> int:
        query = (
            select(func.count(func.distinct(votes.c.voter_id)))
            .join(answers, answers.c.id == votes.c.answer_id)
            .where(answers.c.round_id == round_id)
        )
        return int((self._c.execute(query)).scalar_one())

    def recent_of_member(self, member_id: int, limit: int) -> list[MemberAnswer]:
        """The member's standing answers, newest first, with their round and votes."""
        vote_count = select(func.count()).where(votes.c.answer_id == answers.c.id).scalar_subquery()
        query = (
            select(
                answers.c.id,
                answers.c.late,
                answers.c.created_at,
                rounds.c.id.label("round_id"),
                rounds.c.channel_id,
                rounds.c.drill_id,
                rounds.c.mode,
                rounds.c.local_date,
                vote_count.label("votes"),
            )
            .join(rounds, rounds.c.id == answers.c.round_id)
            .where(answers.c.member_id == member_id, answers.c.withdrawn.is_(False))
            .order_by(answers.c.created_at.desc(), answers.c.id.desc())
            .limit(limit)
        )
        return [
            MemberAnswer(
                r.id,
                r.round_id,
                r.channel_id,
                r.drill_id,
                RoundMode(r.mode),
                r.local_date,
                r.late,
                int(r.votes),
            )
            for r in self._c.execute(query)
        ]
