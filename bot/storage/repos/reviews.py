"""Rubric reviews, one row per reviewer and answer, and the member history the profile reads."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, false, func, or_, select, update

from bot.core.coach import Read, ReviewMark
from bot.core.vocab import RoundMode
from bot.storage.repos.sql import insert_ignoring_conflicts
from bot.storage.tables import answers, members, reviews, rounds


@dataclass(frozen=True)
class PractisedAnswer:
    """One of a member's answers with the reviews it received, as the profile needs it."""

    answer_id: int
    drill_id: str
    kind: str
    day: date
    mode: RoundMode
    marks: tuple[ReviewMark, ...]


@dataclass(frozen=True)
class NamedMark:
    """A review with its reviewer's name, for results that name reviewers."""

    answer_id: int
    reviewer: str
    mark: ReviewMark


def _points(text: str) -> frozenset[int]:
    return frozenset(int(part) for part in text.split(",") if part)


def _mark(row: Any) -> ReviewMark:
    read = Read(row.read)
    return ReviewMark(row.reviewer_id, _points(row.points), read, row.note, row.self_assessed)


class ReviewRepo:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def save(self, answer_id: int, round_id: int, mark: ReviewMark, now: datetime) -> bool:
        """Insert or change ``mark.reviewer_id``'s review of the answer; True when it is new."""
        values = {
            "points": ",".join(str(n) for n in sorted(mark.points)),
            "read": mark.read.value,
            "note": mark.note,
            "updated_at": now,
        }
        row = dict(
            answer_id=answer_id,
            round_id=round_id,
            reviewer_id=mark.reviewer_id,
            self_assessed=mark.self_assessed,
            created_at=now,
            **values,
        )
        inserted = self._c.execute(insert_ignoring_conflicts(self._c, reviews), row).rowcount
        if inserted:
            return True
        mine = and_(reviews.c.answer_id == answer_id, reviews.c.reviewer_id == mark.reviewer_id)
        self._c.execute(update(reviews).where(mine).values(**values))
        return False

    def of_round(self, round_id: int) -> dict[int, list[ReviewMark]]:
        """Every review in the round, by answer."""
        query = select(reviews).where(reviews.c.round_id == round_id).order_by(reviews.c.id)
        found: dict[int, list[ReviewMark]] = defaultdict(list)
        for row in self._c.execute(query):
            found[row.answer_id].append(_mark(row))
        return dict(found)

    def named_in_round(self, round_id: int) -> list[NamedMark]:
        query = (
            select(reviews, members.c.display_name)
            .join(members, members.c.id == reviews.c.reviewer_id)
            .where(reviews.c.round_id == round_id)
            .order_by(reviews.c.id)
        )
        return [NamedMark(r.answer_id, r.display_name, _mark(r)) for r in self._c.execute(query)]

    def has_reviewed(self, round_id: int, member_id: int) -> bool:
        """The member opened this round's rubric by reviewing an answer in it."""
        query = select(reviews.c.id).where(
            reviews.c.round_id == round_id, reviews.c.reviewer_id == member_id
        )
        return self._c.execute(query.limit(1)).first() is not None

    def mine(self, answer_id: int, reviewer_id: int) -> ReviewMark | None:
        query = select(reviews).where(
            reviews.c.answer_id == answer_id, reviews.c.reviewer_id == reviewer_id
        )
        row = self._c.execute(query).first()
        return _mark(row) if row else None

    def history(self, member_id: int) -> list[PractisedAnswer]:
        """The member's answers (withdrawn ones left out) with every review each received."""
        query = (
            select(answers.c.id, rounds.c.drill_id, rounds.c.drill_kind, rounds.c.local_date)
            .add_columns(rounds.c.mode)
            .join(rounds, rounds.c.id == answers.c.round_id)
            .where(answers.c.member_id == member_id, answers.c.withdrawn == false())
            .order_by(rounds.c.local_date, answers.c.id)
        )
        rows = self._c.execute(query).all()
        marks = self._marks_of([row.id for row in rows])
        return [
            PractisedAnswer(
                r.id,
                r.drill_id,
                r.drill_kind,
                r.local_date,
                RoundMode(r.mode),
                tuple(marks.get(r.id, ())),
            )
            for r in rows
        ]

    def _marks_of(self, answer_ids: Sequence[int]) -> dict[int, list[ReviewMark]]:
        found: dict[int, list[ReviewMark]] = defaultdict(list)
        for start in range(0, len(answer_ids), 500):  # keep every IN list short
            chunk = answer_ids[start : start + 500]
            for row in self._c.execute(select(reviews).where(reviews.c.answer_id.in_(chunk))):
                found[row.answer_id].append(_mark(row))
        return found

    def given_with_peers(self, member_id: int) -> list[tuple[Read, list[ReviewMark]]]:
        """Each peer review the member gave, with every peer review of the same answer."""
        given = (
            select(reviews.c.answer_id, reviews.c.read)
            .where(reviews.c.reviewer_id == member_id, reviews.c.self_assessed == false())
            .order_by(reviews.c.id)
        ).subquery()
        rows = self._c.execute(select(given)).all()
        marks = self._marks_of([row.answer_id for row in rows])
        return [(Read(row.read), marks.get(row.answer_id, [])) for row in rows]

    def count_given(self, member_id: int) -> int:
        query = select(func.count()).where(
            reviews.c.reviewer_id == member_id, reviews.c.self_assessed == false()
        )
        return int(self._c.execute(query).scalar_one())

    def forget_member(self, member_id: int) -> int:
        """Delete the reviews the member gave and those their answers received."""
        theirs = select(answers.c.id).where(answers.c.member_id == member_id)
        gone = delete(reviews).where(
            or_(reviews.c.reviewer_id == member_id, reviews.c.answer_id.in_(theirs))
        )
        return int(self._c.execute(gone).rowcount or 0)
