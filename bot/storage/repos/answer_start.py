"""The start of a new answer: the member (made or renamed), the answer, its first message, its
number and the streak day it counts; on PostgreSQL all in one statement, so it needs no
transaction around it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ARRAY, Boolean, Connection, Date, Integer, String, bindparam, exc, text

from bot.core.model import Actor
from bot.core.streaks import Change, StreakState
from bot.storage.repos.answers import AnswerRepo
from bot.storage.repos.channels import MemberRepo, stored_name
from bot.storage.repos.driver import fetch_on_driver
from bot.storage.repos.streaks import (
    EVENT_ARRAY_TYPES,
    NEWS,
    WAS_PARAMS,
    StreakChanged,
    StreakRepo,
    event_arrays,
    event_row,
    was_values,
)
from bot.storage.tables import answer_messages, members, rounds

_MEMBER = ("platform", "space_ref", "user_ref", "display_name")


@dataclass(frozen=True)
class NewAnswer:
    round_id: int
    channel_id: int
    author: Actor
    known_id: int | None  # the member's row when the round was read (None: a stranger)
    known_name: str | None  # the name that row had then
    late: bool
    message_ref: str
    text: str
    now: datetime
    streak: StreakState | None = None  # their new streak state, when the answer counts a day
    changes: Sequence[Change] = field(default=())  # the streak changes that state records
    was: StreakState = field(default_factory=StreakState)  # the streak state it was worked from
    # The round, channel and member's state it was worked out from, when recalled rather than
    # read (PostgreSQL): the statement writes nothing unless they still hold.
    guess: GuessedFrom | None = None


@dataclass(frozen=True)
class GuessedFrom:
    """What a first answer's write decided on, to check: the round's state and the channel's
    minimum length (the member having no answer or review in the round is checked too)."""

    status: str
    closes_at: datetime
    answers_close_at: datetime | None
    min_answer_chars: int


class ContextChanged(Exception):
    """A first answer worked out from a recalled context found it no longer holds: nothing was
    written; read the context and work it out again."""


class Duplicate(Exception):
    """A concurrent delivery stored the same first answer or message first (a unique key met)."""


# A stranger's first answer, and any member's first answer in a round, are the common case: the
# member is made only when unknown, the answer only when this message is not stored already (a
# concurrent insert of the same message or answer breaks a unique key and undoes it all). An
# answer that counts a streak day goes in only if the streak was kept: only if it still stood as
# read (``was``); otherwise nothing is stored and the one row returned says ``stale``.
_START = text(
    """
WITH made AS (
    INSERT INTO members (platform, space_ref, user_ref, display_name)
    SELECT :platform, :space_ref, :user_ref, :display_name WHERE :member_id IS NULL
    ON CONFLICT (platform, space_ref, user_ref) DO UPDATE SET display_name = excluded.display_name
    RETURNING id
), member AS (
    SELECT id FROM made UNION ALL SELECT :member_id WHERE :member_id IS NOT NULL
), unstored AS (
    SELECT 1 WHERE NOT EXISTS (
        SELECT 1 FROM answer_messages WHERE round_id = :round_id AND message_ref = :message_ref
    )
), still AS (
    SELECT 1 WHERE :guessed IS NOT TRUE OR EXISTS (
        SELECT 1 FROM rounds JOIN channels ON channels.id = rounds.channel_id
        WHERE rounds.id = :round_id AND rounds.status = :g_status
            AND rounds.closes_at = :g_closes_at
            AND rounds.answers_close_at IS NOT DISTINCT FROM :g_answers_close_at
            AND channels.min_answer_chars = :g_min_answer_chars
            AND NOT EXISTS (SELECT 1 FROM rounds AS newer WHERE newer.id > rounds.id
                AND newer.channel_id = rounds.channel_id AND newer.thread_ref = rounds.thread_ref)
            AND NOT EXISTS (SELECT 1 FROM member, answers
                WHERE answers.round_id = :round_id AND answers.member_id = member.id)
            AND NOT EXISTS (SELECT 1 FROM member, reviews
                WHERE reviews.round_id = :round_id AND reviews.reviewer_id = member.id)
    )
), fresh AS (
    SELECT 1 FROM unstored, still
), kept AS (
    INSERT INTO streaks (channel_id, member_id, current, longest, freezes, last_day)
    SELECT :channel_id, member.id, :current, :longest, :freezes, :last_day FROM member, fresh
    WHERE :current IS NOT NULL
    ON CONFLICT (channel_id, member_id) DO UPDATE SET current = excluded.current,
        longest = excluded.longest, freezes = excluded.freezes, last_day = excluded.last_day
    WHERE (streaks.current, streaks.longest, streaks.freezes, streaks.last_day)
        IS NOT DISTINCT FROM (:was_current, :was_longest, :was_freezes, :was_last_day)
    RETURNING member_id
), answer AS (
    INSERT INTO answers (round_id, member_id, late, text, withdrawn, created_at, updated_at)
    SELECT :round_id, member.id, :late, :text, false, :posted_at, :posted_at FROM member, fresh
    WHERE :current IS NULL OR EXISTS (SELECT 1 FROM kept)
    RETURNING id, member_id
), message AS (
    INSERT INTO answer_messages (answer_id, round_id, message_ref, text, deleted, posted_at)
    SELECT id, :round_id, :message_ref, :text, false, :posted_at FROM answer
), logged AS (
    INSERT INTO streak_events (channel_id, member_id, day, kind, count, reason, created_at, seen)
    SELECT :channel_id, answer.member_id, change.day, change.kind, change.count, NULL,
        :posted_at, change.seen
    FROM answer, unnest(:days, :kinds, :counts, :seen) AS change (day, kind, count, seen)
    RETURNING seen
)
SELECT answer.id, answer.member_id,
    (SELECT count(*) FROM answers WHERE round_id = :round_id AND id < answer.id) + 1 AS number,
    EXISTS (SELECT 1 FROM logged WHERE NOT seen)
    OR EXISTS (SELECT 1 FROM streak_events WHERE channel_id = :channel_id
        AND member_id = answer.member_id AND NOT seen)
    OR EXISTS (SELECT 1 FROM member_notices WHERE channel_id = :channel_id
        AND member_id = answer.member_id) AS news,
    'kept' AS outcome
FROM answer
UNION ALL
SELECT NULL, NULL, NULL, NULL, CASE WHEN EXISTS (SELECT 1 FROM still) THEN 'stale' ELSE 'changed' END
FROM unstored WHERE NOT EXISTS (SELECT 1 FROM answer)
"""
).bindparams(
    *(bindparam(name, type_=members.c[name].type) for name in _MEMBER),
    *(bindparam(name, type_=Integer()) for name in ("member_id", "round_id", "channel_id")),
    *(bindparam(name, type_=Integer()) for name in ("current", "longest", "freezes")),
    bindparam("late", type_=Boolean()),
    bindparam("text", type_=String()),
    bindparam("message_ref", type_=answer_messages.c.message_ref.type),
    bindparam("posted_at", type_=answer_messages.c.posted_at.type),
    bindparam("last_day", type_=Date()),
    *WAS_PARAMS,
    *(bindparam(name, type_=ARRAY(type_)) for name, type_ in EVENT_ARRAY_TYPES.items()),
    bindparam("guessed", type_=Boolean()),
    bindparam("g_status", type_=rounds.c.status.type),
    bindparam("g_closes_at", type_=rounds.c.closes_at.type),
    bindparam("g_answers_close_at", type_=rounds.c.answers_close_at.type),
    bindparam("g_min_answer_chars", type_=Integer()),
)


def start_answer(
    connection: Connection, members_: MemberRepo, new: NewAnswer
) -> tuple[int, int, int, bool] | None:
    """(answer id, member id, number in the round, news may be waiting); None when this message
    was stored before. ``Duplicate`` when a concurrent delivery got there first."""
    if connection.dialect.name != "postgresql":
        return _in_steps(connection, members_, new)
    try:
        rows = fetch_on_driver(connection, _START, _params(new))
    except exc.IntegrityError as error:
        raise Duplicate() from error
    if not rows:
        return None
    row = rows[0]
    if row.outcome == "changed":
        raise ContextChanged()
    if row.outcome == "stale":
        raise StreakChanged()
    members_.remember(new.author, int(row.member_id))
    return int(row.id), int(row.member_id), int(row.number), bool(row.news)


def _unchanged_member(new: NewAnswer) -> int | None:
    """The member's row when it needs no write; None: a stranger, or renamed since (then the
    row is made, or its name updated)."""
    return new.known_id if new.known_name == stored_name(new.author) else None


def _params(new: NewAnswer) -> dict[str, Any]:
    author, state = new.author, new.streak
    events = [event_row({}, change, new.now, None) for change in new.changes]
    return {
        **{name: getattr(author, name) for name in _MEMBER[:3]},
        "display_name": stored_name(author),
        "member_id": _unchanged_member(new),
        "round_id": new.round_id,
        "channel_id": new.channel_id,
        "late": new.late,
        "text": new.text,
        "message_ref": new.message_ref,
        "posted_at": new.now,
        "current": state.current if state else None,
        "longest": state.longest if state else None,
        "freezes": state.freezes if state else None,
        "last_day": state.last_day if state else None,
        **was_values(new.was),
        **_guess(new.guess),
        **event_arrays(events),
    }


_CHECKED = ("status", "closes_at", "answers_close_at", "min_answer_chars")  # ``GuessedFrom``


def _guess(guess: GuessedFrom | None) -> dict[str, Any]:
    """The recalled values the statement checks (all None when the context was read)."""
    return {"guessed": guess is not None, **{f"g_{n}": getattr(guess, n, None) for n in _CHECKED}}


def _in_steps(
    connection: Connection, members_: MemberRepo, new: NewAnswer
) -> tuple[int, int, int, bool] | None:
    """SQLite: the same writes one after another (its writers take turns, so nothing races)."""
    member_id = _unchanged_member(new)
    member_id = members_.ensure(new.author) if member_id is None else member_id
    answers_ = AnswerRepo(connection)
    answer_id, number = answers_.create(new.round_id, member_id, new.late, new.text, new.now)
    if not answers_.add_message(answer_id, new.round_id, new.message_ref, new.text, new.now):
        return None  # the caller does not commit: the answer just made is rolled back
    if new.streak is not None:
        streaks_ = StreakRepo(connection)
        streaks_.save(new.channel_id, member_id, new.streak, new.changes, new.now, was=new.was)
    news = new.known_id is not None or any(change.kind in NEWS for change in new.changes)
    return answer_id, member_id, number, news
