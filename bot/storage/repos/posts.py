"""The outbox: every post the bot makes, claimed under a unique key, then leased and sent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, case, func, or_, select, type_coerce, update

from bot.core.model import NewPost, PostContent, PostJob
from bot.core.vocab import PostKind, PostStatus
from bot.storage.repos.sql import execute_ignoring_conflicts
from bot.storage.tables import UTCDateTime, post_contents, posts


def _job(row: Any) -> PostJob:
    return PostJob(
        row.id,
        row.claim_key,
        row.channel_id,
        row.round_id,
        PostKind(row.kind),
        row.week_start,
        row.attempts,
        PostStatus(row.status),
        row.last_error,
        row.next_attempt_at,
        row.created_at,
        row.lease_until,
    )


class PostRepo:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def claim(
        self, claim_key: str, now: datetime, new: NewPost, content: PostContent | None = None
    ) -> bool:
        """Queue a post under ``claim_key``; False if it was claimed before (and so never twice)."""
        row = dict(
            claim_key=claim_key,
            status=PostStatus.PENDING,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
            **vars(new),
        )
        result = execute_ignoring_conflicts(self._c, posts, row)
        if result.rowcount != 1:
            return False
        if content is not None:
            post_id = self._c.execute(select(posts.c.id).where(posts.c.claim_key == claim_key))
            self._c.execute(
                post_contents.insert(), {"post_id": post_id.scalar_one(), **vars(content)}
            )
        return True

    def content(self, post_id: int) -> PostContent:
        query = select(post_contents).where(post_contents.c.post_id == post_id)
        row = self._c.execute(query).first()
        return PostContent(row.answer_id, row.body) if row else PostContent()

    def due(self, now: datetime, limit: int) -> list[PostJob]:
        query = (
            select(posts)
            .where(posts.c.status == PostStatus.PENDING, posts.c.next_attempt_at <= now)
            .where(or_(posts.c.lease_until.is_(None), posts.c.lease_until <= now))
            .order_by(posts.c.next_attempt_at, posts.c.id)
            .limit(limit)
        )
        return [_job(row) for row in self._c.execute(query)]

    def lease(self, post_id: int, now: datetime, until: datetime) -> PostJob | None:
        """Take the send for ourselves until ``until``: the post as it was just before (its
        ``lease_until`` tells whether an earlier attempt's outcome is unknown); None if another
        worker holds it or it is no longer pending."""
        row = self._c.execute(select(posts).where(posts.c.id == post_id)).first()
        if row is None:
            return None
        statement = (
            update(posts)
            .where(posts.c.id == post_id, posts.c.status == PostStatus.PENDING)
            .where(or_(posts.c.lease_until.is_(None), posts.c.lease_until <= now))
            .where(posts.c.attempts == row.attempts)  # nobody leased it since we read it
            .values(lease_until=until, attempts=posts.c.attempts + 1)
        )
        return _job(row) if self._c.execute(statement).rowcount == 1 else None

    def mark_sent(
        self, post_id: int, now: datetime, message_ref: str | None, thread_ref: str | None
    ) -> None:
        values = dict(
            status=PostStatus.SENT, sent_at=now, message_ref=message_ref, thread_ref=thread_ref
        )
        statement = update(posts).where(posts.c.id == post_id).values(lease_until=None, **values)
        self._c.execute(statement)

    def mark_retry(
        self, post_id: int, error: str, retry_at: datetime, unsure: bool = False
    ) -> None:
        """Try again at ``retry_at``. ``unsure`` (the post may have gone out) keeps the lease until
        then, so the next attempt knows to look for the post before sending it again."""
        statement = update(posts).where(posts.c.id == post_id)
        lease = retry_at if unsure else None
        self._c.execute(
            statement.values(lease_until=lease, last_error=error[:2000], next_attempt_at=retry_at)
        )

    def mark_finished(self, post_id: int, status: PostStatus, reason: str) -> None:
        """End a post that will not be sent: ``failed`` (with the error) or ``skipped``."""
        statement = update(posts).where(posts.c.id == post_id)
        self._c.execute(statement.values(status=status, lease_until=None, last_error=reason[:2000]))

    def get(self, claim_key: str) -> PostJob | None:
        row = (self._c.execute(select(posts).where(posts.c.claim_key == claim_key))).first()
        return _job(row) if row else None

    def unsent(self, limit: int = 50) -> list[PostJob]:
        query = (
            select(posts)
            .where(posts.c.status.in_((PostStatus.PENDING, PostStatus.FAILED)))
            .order_by(posts.c.id)
            .limit(limit)
        )
        return [_job(row) for row in self._c.execute(query)]

    def earliest_pending(self) -> datetime | None:
        """When the next pending post can be sent: its retry time, or later if another worker holds it."""
        leased_past_retry = posts.c.lease_until > posts.c.next_attempt_at
        ready_at = case((leased_past_retry, posts.c.lease_until), else_=posts.c.next_attempt_at)
        query = select(func.min(type_coerce(ready_at, UTCDateTime()))).where(
            posts.c.status == PostStatus.PENDING
        )
        value: datetime | None = (self._c.execute(query)).scalar_one()
        return value

    def counts(self) -> dict[str, int]:
        query = select(posts.c.status, func.count()).group_by(posts.c.status)
        return {status: int(count) for status, count in self._c.execute(query)}
