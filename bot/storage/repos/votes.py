"""Votes on answers: one row per voter and answer, cast by a click and withdrawn by the next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, literal_column, select

from bot.core.vocab import RoundMode, RoundStatus
from bot.storage.repos.driver import fetch_on_driver
from bot.storage.repos.sql import execute_hot, execute_ignoring_conflicts, typed_text
from bot.storage.tables import answers, channels, handled_requests, members, rounds, votes

_TARGET = (
    select(
        answers.c.id,
        answers.c.member_id,
        answers.c.late,
        answers.c.withdrawn,
        rounds.c.mode,
        rounds.c.status,
        rounds.c.closes_at,
        members.c.display_name,
        rounds.c.answers_close_at,
        channels.c.platform,
        channels.c.space_ref,
        channels.c.channel_ref,
    )
    .join(rounds, rounds.c.id == answers.c.round_id)
    .join(members, members.c.id == answers.c.member_id)
    .join(channels, channels.c.id == rounds.c.channel_id)
    .where(answers.c.id == bindparam("answer_id"))
)
_STANDING = select(votes.c.id).where(
    votes.c.answer_id == bindparam("answer_id"), votes.c.voter_id == bindparam("voter_id")
)
_WITHDRAW = delete(votes).where(
    votes.c.answer_id == bindparam("answer_id"), votes.c.voter_id == bindparam("voter_id")
)
_COUNT = select(func.count()).select_from(votes).where(votes.c.answer_id == bindparam("answer_id"))
# SQLite: the answer's votes after the cast or withdrawal, returned by that very statement.
_COUNTED = (
    select(func.count())
    .select_from(votes.alias("given"))
    .where(literal_column("given.answer_id") == bindparam("of_answer"))
    .scalar_subquery()
)
_CAST_COUNTED = insert(votes).prefix_with("OR IGNORE").returning(_COUNTED)
_WITHDRAW_COUNTED = _WITHDRAW.returning(_COUNTED)

# PostgreSQL: read the answer, and if the vote rules allow this voter's click (the same rules
# ``services.votes`` words its refusals by, mirrored here so the click needs no second round trip)
# claim the click, cast or withdraw the vote and count, as one statement (so it needs no
# transaction around it). Every part reads the same snapshot, so the count adds this click's own
# change. A click whose key was claimed before changes nothing (``redelivered``); what stands is
# then read afresh, since the claim may have been made after this statement's snapshot.
# ``raced``: a concurrent click of the same voter changed the vote after the snapshot (our insert
# met theirs, or our delete found theirs done); the click is then run again, unclaimed, so
# clicks still toggle one after another.
_CLICK = typed_text(
    """
WITH target AS (
    SELECT answers.id, answers.member_id, answers.late, answers.withdrawn, rounds.mode,
        rounds.status, rounds.closes_at, members.display_name, rounds.answers_close_at,
        channels.platform, channels.space_ref, channels.channel_ref
    FROM answers JOIN rounds ON rounds.id = answers.round_id
    JOIN members ON members.id = answers.member_id
    JOIN channels ON channels.id = rounds.channel_id
    WHERE answers.id = :answer_id
), allowed AS (
    SELECT 1 FROM target
    WHERE NOT withdrawn AND NOT late AND mode = 'daily' AND status = 'open'
        AND :cast_at < closes_at AND (answers_close_at IS NULL OR :cast_at >= answers_close_at)
        AND member_id <> :voter_id
        AND (CAST(:platform AS VARCHAR) IS NULL OR (platform, space_ref, channel_ref)
            = (CAST(:platform AS VARCHAR), CAST(:space_ref AS VARCHAR), CAST(:channel_ref AS VARCHAR)))
), claim AS (
    INSERT INTO handled_requests (request_key, handled_at)
    SELECT CAST(:request_key AS VARCHAR), :cast_at FROM allowed
    WHERE CAST(:request_key AS VARCHAR) IS NOT NULL
    ON CONFLICT DO NOTHING RETURNING 1
), go AS (
    SELECT 1 FROM claim UNION ALL SELECT 1 FROM allowed WHERE CAST(:request_key AS VARCHAR) IS NULL
), standing AS (
    SELECT id FROM votes WHERE answer_id = :answer_id AND voter_id = :voter_id
), withdrawn AS (
    DELETE FROM votes WHERE id IN (SELECT id FROM standing) AND EXISTS (SELECT 1 FROM go)
    RETURNING 1
), cast_now AS (
    INSERT INTO votes (answer_id, voter_id, cast_at)
    SELECT :answer_id, :voter_id, :cast_at
    WHERE EXISTS (SELECT 1 FROM go) AND NOT EXISTS (SELECT 1 FROM standing)
    ON CONFLICT DO NOTHING RETURNING 1
)
SELECT target.*, EXISTS (SELECT 1 FROM allowed) AS allowed,
    CASE WHEN EXISTS (SELECT 1 FROM go) THEN NOT EXISTS (SELECT 1 FROM standing)
         ELSE EXISTS (SELECT 1 FROM standing) END AS voted,
    (SELECT count(*) FROM votes WHERE answer_id = :answer_id)
        + (SELECT count(*) FROM cast_now) - (SELECT count(*) FROM withdrawn) AS count,
    EXISTS (SELECT 1 FROM go) AND (
        EXISTS (SELECT 1 FROM standing) AND NOT EXISTS (SELECT 1 FROM withdrawn)
        OR NOT EXISTS (SELECT 1 FROM standing) AND NOT EXISTS (SELECT 1 FROM cast_now)
    ) AS raced,
    NOT EXISTS (SELECT 1 FROM go) AS redelivered
FROM target
""",
    (handled_requests.c.request_key, votes.c.cast_at, votes.c.answer_id, votes.c.voter_id),
)


_PLACE = ("platform", "space_ref", "channel_ref")
MAX_RACES = 100  # each race means another click went through, so this is never reached


@dataclass(frozen=True)
class VoteTarget:
    """An answer with what the vote rules need: its round's state and its author's name."""

    answer_id: int
    author_id: int
    late: bool
    withdrawn: bool
    mode: RoundMode
    status: RoundStatus
    closes_at: datetime
    author_name: str
    answers_close_at: datetime | None = None  # a blind round's reveal
    channel: tuple[str, str, str] = ("", "", "")  # its channel's platform, space and ref


def _target(row: Any) -> VoteTarget:
    return VoteTarget(
        row.id,
        row.member_id,
        row.late,
        row.withdrawn,
        RoundMode(row.mode),
        RoundStatus(row.status),
        row.closes_at,
        row.display_name,
        row.answers_close_at,
        (row.platform, row.space_ref, row.channel_ref),
    )


class VoteRepo:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def target(self, answer_id: int) -> VoteTarget | None:
        rows = fetch_on_driver(self._c, _TARGET, {"answer_id": answer_id})
        return _target(rows[0]) if rows else None

    def click(
        self,
        answer_id: int,
        voter_id: int,
        now: datetime,
        request_key: str | None,
        channel: tuple[str, str, str] | None = None,
    ) -> tuple[VoteTarget | None, tuple[bool, int] | None]:
        """The answer voted on, and the click's outcome when the vote rules allow it: (a vote now
        stands, the answer's votes). On SQLite the outcome is None: the caller checks the rules,
        then calls ``toggle``. A click whose ``request_key`` was handled before changes nothing.
        ``channel``: where the button was clicked; an answer of another channel is not voted on.
        """
        if self._c.dialect.name != "postgresql":
            return self.target(answer_id), None
        key = {"answer_id": answer_id, "voter_id": voter_id}
        where = dict(zip(_PLACE, channel or (None, None, None), strict=True))
        for _ in range(MAX_RACES):
            params = {**key, **where, "cast_at": now, "request_key": request_key}
            rows = fetch_on_driver(self._c, _CLICK, params)
            row = rows[0] if rows else None
            if row is None or not row.allowed:
                return (_target(row) if row else None), None
            if row.redelivered:
                return _target(row), (self.has_vote(answer_id, voter_id), self.count(answer_id))
            if not row.raced:
                return _target(row), (bool(row.voted), int(row.count))
            request_key = None  # claimed by the first run: the click is ours to repeat
        raise RuntimeError(f"{MAX_RACES} clicks raced this one")

    def toggle(
        self, answer_id: int, voter_id: int, now: datetime, request_key: str | None
    ) -> tuple[bool, int]:
        """SQLite: claim the click, then cast or withdraw (its writers take turns: no lock needed)."""
        key = {"answer_id": answer_id, "voter_id": voter_id}
        claimed = (
            request_key is None
            or execute_ignoring_conflicts(
                self._c, handled_requests, {"request_key": request_key, "handled_at": now}
            ).rowcount
        )
        if not claimed:
            return self.has_vote(answer_id, voter_id), self.count(answer_id)
        # A first click is the common case: one INSERT casts it; a second click finds the vote
        # standing (nothing inserted) and withdraws it. Each returns the count it leaves.
        cast = execute_hot(self._c, _CAST_COUNTED, {**key, "cast_at": now, "of_answer": answer_id})
        counted = cast.fetchall()
        if counted:
            return True, int(counted[0][0])
        withdrawn = self._c.execute(_WITHDRAW_COUNTED, {**key, "of_answer": answer_id}).first()
        return False, int(withdrawn[0]) if withdrawn is not None else self.count(answer_id)

    def has_vote(self, answer_id: int, voter_id: int) -> bool:
        key = {"answer_id": answer_id, "voter_id": voter_id}
        return self._c.execute(_STANDING, key).first() is not None

    def count(self, answer_id: int) -> int:
        return int(self._c.execute(_COUNT, {"answer_id": answer_id}).scalar_one())
