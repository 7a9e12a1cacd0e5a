"""Recording an answer: what it reads, each in one query (the thread's round with its channel; what
the member already has in that round), and the start of a new answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, and_, bindparam, exists, literal_column, select

from bot.core.model import Channel, Round
from bot.core.streaks import StreakState
from bot.storage.repos.answers import AnswerRepo, AnswerRow
from bot.storage.repos.channels import channel_from_row
from bot.storage.repos.rounds import round_from_row
from bot.storage.repos.sql import typed_text
from bot.storage.tables import answer_messages, answers, channels, reviews, rounds, streaks

_PREFIX = "ch__"  # the channel's columns beside the round's, whose names they share
_ROUND_IN_THREAD = (
    select(rounds, *(column.label(_PREFIX + column.name) for column in channels.c))
    .join(channels, channels.c.id == rounds.c.channel_id)
    .where(rounds.c.thread_ref == bindparam("thread_ref"))
    .where(channels.c.platform == bindparam("platform"))
    .where(channels.c.space_ref == bindparam("space_ref"))
    .where(channels.c.channel_ref == bindparam("channel_ref"))
    .order_by(rounds.c.id.desc())
    .limit(1)
)
_ANCHOR = select(literal_column("1").label("anchor")).subquery("anchor")
_REVIEWED = exists().where(
    reviews.c.round_id == bindparam("round_id"), reviews.c.reviewer_id == bindparam("member_id")
)
# One row per answer the member has in the round (on time, late), or one empty row: either way
# the row says whether they have reviewed in it, and carries their streak in the channel.
_MEMBER_IN_ROUND = select(
    answers.c.id,
    answers.c.round_id,
    answers.c.member_id,
    answers.c.late,
    answers.c.withdrawn,
    answers.c.text,
    _REVIEWED.label("reviewed"),
    streaks.c.current,
    streaks.c.longest,
    streaks.c.freezes,
    streaks.c.last_day,
).select_from(
    _ANCHOR.outerjoin(
        answers,
        and_(
            answers.c.round_id == bindparam("round_id"),
            answers.c.member_id == bindparam("member_id"),
        ),
    ).outerjoin(
        streaks,
        and_(
            streaks.c.channel_id == bindparam("channel_id"),
            streaks.c.member_id == bindparam("member_id"),
        ),
    )
)

# PostgreSQL: a new answer, its first message and its number, in one statement.
_START = typed_text(
    """
WITH answer AS (
    INSERT INTO answers (round_id, member_id, late, text, withdrawn, created_at, updated_at)
    VALUES (:round_id, :member_id, :late, :text, false, :posted_at, :posted_at)
    RETURNING id
), message AS (
    INSERT INTO answer_messages (answer_id, round_id, message_ref, text, deleted, posted_at)
    SELECT id, :round_id, :message_ref, :text, false, :posted_at FROM answer
    ON CONFLICT DO NOTHING RETURNING 1
)
SELECT answer.id, EXISTS (SELECT 1 FROM message) AS stored,
    (SELECT count(*) FROM answers WHERE round_id = :round_id AND id < answer.id) + 1 AS number
FROM answer
""",
    (
        answers.c.round_id,
        answers.c.member_id,
        answers.c.late,
        answers.c.text,
        answer_messages.c.message_ref,
        answer_messages.c.posted_at,
    ),
)


@dataclass(frozen=True)
class MemberInRound:
    on_time: AnswerRow | None
    late: AnswerRow | None
    reviewed: bool  # they have opened the round's rubric by reviewing an answer in it
    streak: StreakState  # their kept streak state in the round's channel


class AnsweringRepo:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def round_in_thread(
        self, thread_ref: str, platform: str, space_ref: str, channel_ref: str
    ) -> tuple[Round, Channel] | None:
        """The newest round posted in this thread of this channel, with the channel."""
        place = {"platform": platform, "space_ref": space_ref, "channel_ref": channel_ref}
        row = self._c.execute(_ROUND_IN_THREAD, {"thread_ref": thread_ref, **place}).first()
        if row is None:
            return None
        return round_from_row(row), channel_from_row(_channel_columns(row))

    def member_in_round(self, round_: Round, member_id: int) -> MemberInRound:
        whose = {"round_id": round_.id, "channel_id": round_.channel_id, "member_id": member_id}
        rows = self._c.execute(_MEMBER_IN_ROUND, whose).all()
        found = {row.late: _answer(row) for row in rows if row.id is not None}
        first = rows[0]
        return MemberInRound(
            found.get(False), found.get(True), bool(first.reviewed), _streak(first)
        )

    def start(
        self, round_id: int, member_id: int, late: bool, ref: str, text: str, now: datetime
    ) -> tuple[int, int] | None:
        """A new answer whose text is its first message: (its id, its number in the round); None
        when that message was stored before (the transaction must then be rolled back)."""
        if self._c.dialect.name == "postgresql":
            values = dict(round_id=round_id, member_id=member_id, late=late, text=text)
            row = self._c.execute(_START, {**values, "message_ref": ref, "posted_at": now}).one()
            return (int(row.id), int(row.number)) if row.stored else None
        answers_ = AnswerRepo(self._c)
        answer_id = answers_.create(round_id, member_id, late, text, now)
        if not answers_.add_message(answer_id, round_id, ref, text, now):
            return None
        return answer_id, answers_.number_in_round(round_id, answer_id)


def _channel_columns(row: Any) -> SimpleNamespace:
    mapping = row._mapping
    named = {key: mapping[key] for key in mapping if key.startswith(_PREFIX)}
    return SimpleNamespace(**{key.removeprefix(_PREFIX): value for key, value in named.items()})


def _streak(row: Any) -> StreakState:
    if row.current is None:
        return StreakState()
    return StreakState(row.current, row.longest, row.freezes, row.last_day)


def _answer(row: Any) -> AnswerRow:
    return AnswerRow(row.id, row.round_id, row.member_id, bool(row.late), row.withdrawn, row.text)
