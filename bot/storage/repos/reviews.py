"""Rubric reviews, one row per reviewer and answer, and the member history the profile reads."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import Connection, and_, bindparam, delete, false, func, or_, select, update

from bot.core import coach
from bot.core.coach import Read, ReviewMark
from bot.core.vocab import RoundMode
from bot.storage.repos.sql import execute_ignoring_conflicts
from bot.storage.tables import answer_coverage, answers, members, reviews, rounds


class PractisedAnswer(NamedTuple):  # a tuple: one per answer of a long history
    """One of a member's answers with the reviews it received, as the profile needs it."""

    answer_id: int
    drill_id: str
    kind: str
    day: date
    mode: RoundMode
    covered: frozenset[int] | None  # None: nobody assessed it
    reviewers: int  # peer reviewers; 0 with a coverage means self-assessed


@dataclass(frozen=True)
class NamedMark:
    """A review with its reviewer's name, for results that name reviewers."""

    answer_id: int
    reviewer: str
    mark: ReviewMark


# Only what a mark needs: reading the timestamps too would double the cost of a big round.
_MARK = (
    reviews.c.answer_id,
    reviews.c.reviewer_id,
    reviews.c.points,
    reviews.c.read,
    reviews.c.note,
    reviews.c.self_assessed,
)
_READS = {read.value: read for read in Read}
_HAS_REVIEWED = (
    select(reviews.c.id)
    .where(reviews.c.round_id == bindparam("round_id"))
    .where(reviews.c.reviewer_id == bindparam("member_id"))
    .limit(1)
)


_HISTORY = (
    select(answers.c.id, rounds.c.drill_id, rounds.c.drill_kind, rounds.c.local_date)
    .add_columns(rounds.c.mode, answer_coverage.c.covered, answer_coverage.c.reviewers)
    .join(rounds, rounds.c.id == answers.c.round_id)
    .outerjoin(answer_coverage, answer_coverage.c.answer_id == answers.c.id)
    .where(answers.c.member_id == bindparam("member_id"), answers.c.withdrawn == false())
    .order_by(rounds.c.local_date, answers.c.id)
)
_MODES = {mode.value: mode for mode in RoundMode}


@lru_cache(maxsize=4096)
def _points(text: str) -> frozenset[int]:
    """Few distinct tick sets exist ("1,3"), so each is parsed once per process."""
    return frozenset(int(part) for part in text.split(",") if part)


def _mark(row: Any) -> ReviewMark:
    read = _READS[row.read]
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
        inserted = execute_ignoring_conflicts(self._c, reviews, row).rowcount
        if inserted:
            return True
        mine = and_(reviews.c.answer_id == answer_id, reviews.c.reviewer_id == mark.reviewer_id)
        self._c.execute(update(reviews).where(mine).values(**values))
        return False

    def of_round(self, round_id: int) -> dict[int, list[ReviewMark]]:
        """Every review in the round, by answer."""
        query = select(*_MARK).where(reviews.c.round_id == round_id).order_by(reviews.c.id)
        found: dict[int, list[ReviewMark]] = defaultdict(list)
        for row in self._c.execute(query):
            found[row.answer_id].append(_mark(row))
        return dict(found)

    def named_in_round(self, round_id: int) -> list[NamedMark]:
        query = (
            select(*_MARK, members.c.display_name)
            .join(members, members.c.id == reviews.c.reviewer_id)
            .where(reviews.c.round_id == round_id)
            .order_by(reviews.c.id)
        )
        return [NamedMark(r.answer_id, r.display_name, _mark(r)) for r in self._c.execute(query)]

    def has_reviewed(self, round_id: int, member_id: int) -> bool:
        """The member opened this round's rubric by reviewing an answer in it."""
        whose = {"round_id": round_id, "member_id": member_id}
        return self._c.execute(_HAS_REVIEWED, whose).first() is not None

    def mine(self, answer_id: int, reviewer_id: int) -> ReviewMark | None:
        query = select(*_MARK).where(
            reviews.c.answer_id == answer_id, reviews.c.reviewer_id == reviewer_id
        )
        row = self._c.execute(query).first()
        return _mark(row) if row else None

    def history(self, member_id: int) -> list[PractisedAnswer]:
        """The member's answers (withdrawn ones left out), each with its coverage if reviewed."""
        # A daily regular has a thousand answers a few years in: every row is fetched at once,
        # and each mode and tick set converted through a table, not parsed again.
        rows = self._c.execute(_HISTORY, {"member_id": member_id}).all()
        return [
            PractisedAnswer(
                answer_id,
                drill_id,
                kind,
                day,
                _MODES[mode],
                None if covered is None else _points(covered),
                reviewers or 0,
            )
            for answer_id, drill_id, kind, day, mode, covered, reviewers in rows
        ]

    def refresh_coverage(self, answer_id: int) -> None:
        """Recompute one answer's coverage row from its reviews (deleted when it has none)."""
        rows = self._c.execute(select(*_MARK).where(reviews.c.answer_id == answer_id))
        summary = coach.summarise([_mark(row) for row in rows])
        self._c.execute(delete(answer_coverage).where(answer_coverage.c.answer_id == answer_id))
        author = select(answers.c.member_id).where(answers.c.id == answer_id).scalar_subquery()
        if summary is None:
            return
        majority = summary.majority.value if summary.majority else None
        covered = ",".join(str(n) for n in sorted(summary.covered))
        self._c.execute(
            answer_coverage.insert().values(
                answer_id=answer_id,
                member_id=author,
                covered=covered,
                reviewers=summary.reviewers,
                majority=majority,
            )
        )

    def _marks_of(self, answer_ids: Sequence[int]) -> dict[int, list[ReviewMark]]:
        found: dict[int, list[ReviewMark]] = defaultdict(list)
        for start in range(0, len(answer_ids), 500):  # keep every IN list short
            chunk = answer_ids[start : start + 500]
            for row in self._c.execute(select(*_MARK).where(reviews.c.answer_id.in_(chunk))):
                found[row.answer_id].append(_mark(row))
        return found

    def reads_given(self, member_id: int) -> list[tuple[Read, Read | None, int]]:
        """Each peer review the member gave: their read, the answer's majority read and how many
        peers reviewed it."""
        query = (
            select(reviews.c.read, answer_coverage.c.majority, answer_coverage.c.reviewers)
            .join(answer_coverage, answer_coverage.c.answer_id == reviews.c.answer_id)
            .where(reviews.c.reviewer_id == member_id, reviews.c.self_assessed == false())
        )
        return [
            (_READS[r.read], _READS[r.majority] if r.majority else None, r.reviewers)
            for r in self._c.execute(query)
        ]

    def count_given(self, member_id: int) -> int:
        query = select(func.count()).where(
            reviews.c.reviewer_id == member_id, reviews.c.self_assessed == false()
        )
        return int(self._c.execute(query).scalar_one())

    def forget_member(self, member_id: int) -> int:
        """Delete the reviews the member gave and those their answers received."""
        theirs = select(answers.c.id).where(answers.c.member_id == member_id)
        touched = select(reviews.c.answer_id).where(reviews.c.reviewer_id == member_id)
        others = [a for a in self._c.execute(touched.distinct()).scalars()]
        gone = delete(reviews).where(
            or_(reviews.c.reviewer_id == member_id, reviews.c.answer_id.in_(theirs))
        )
        count = int(self._c.execute(gone).rowcount or 0)
        self._c.execute(delete(answer_coverage).where(answer_coverage.c.member_id == member_id))
        for answer_id in others:
            self.refresh_coverage(answer_id)
        return count
