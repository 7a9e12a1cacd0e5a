"""Channel problems: faults only an admin can fix, one row per channel and kind.

A row is live until a post in its channel is sent after the row's ``last_seen``; a problem that
comes back after such a post is a new one (its admins are told again).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, exists, select, update

from bot.core.model import Problem
from bot.core.vocab import PostStatus
from bot.storage.tables import channel_problems, channels, posts

_SENT_SINCE = exists().where(
    posts.c.channel_id == channel_problems.c.channel_id,
    posts.c.status == PostStatus.SENT,
    posts.c.sent_at > channel_problems.c.last_seen,
)
_LIVE = select(channel_problems, channels.c.channel_ref).join(
    channels, channels.c.id == channel_problems.c.channel_id
)


def _problem(row: Any) -> Problem:
    return Problem(
        row.channel_id,
        row.channel_ref,
        row.kind,
        row.detail,
        row.attempts,
        row.first_seen,
        row.last_seen,
        row.notified_at,
    )


class ProblemRepo:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def report(self, channel_id: int, kind: str, detail: str, now: datetime) -> Problem:
        """Record one more occurrence; a row left stale by a later successful post starts over."""
        key = and_(channel_problems.c.channel_id == channel_id, channel_problems.c.kind == kind)
        found = self._c.execute(select(channel_problems.c.id, ~_SENT_SINCE).where(key)).first()
        if found is None:
            row = dict(channel_id=channel_id, kind=kind, detail=detail, attempts=1)
            self._c.execute(channel_problems.insert(), {**row, "first_seen": now, "last_seen": now})
        elif found[1]:  # still live: one more attempt
            values = dict(detail=detail, last_seen=now, attempts=channel_problems.c.attempts + 1)
            self._c.execute(update(channel_problems).where(key).values(**values))
        else:  # fixed since, and broken again: a new problem
            values = dict(detail=detail, attempts=1, first_seen=now, last_seen=now)
            self._c.execute(update(channel_problems).where(key).values(notified_at=None, **values))
        return _problem(self._c.execute(_LIVE.where(key)).one())

    def mark_notified(self, channel_id: int, kind: str, now: datetime) -> None:
        key = and_(channel_problems.c.channel_id == channel_id, channel_problems.c.kind == kind)
        self._c.execute(update(channel_problems).where(key).values(notified_at=now))

    def live_in_space(self, platform: str, space_ref: str) -> list[Problem]:
        """Problems not yet cleared by a successful post, in the space's channels."""
        query = _LIVE.where(
            channels.c.platform == platform, channels.c.space_ref == space_ref, ~_SENT_SINCE
        ).order_by(channel_problems.c.first_seen)
        return [_problem(row) for row in self._c.execute(query)]

    def live_in_channel(self, channel_id: int) -> list[Problem]:
        query = _LIVE.where(channel_problems.c.channel_id == channel_id, ~_SENT_SINCE)
        return [_problem(row) for row in self._c.execute(query)]
