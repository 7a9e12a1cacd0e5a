"""Streak state per member and channel, its audit log, and members' rest days."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import Connection, bindparam, delete, func, select, update

from bot.core.streaks import Change, ChangeKind, StreakState
from bot.storage.repos.sql import insert_ignoring_conflicts, upsert
from bot.storage.tables import member_notices, rest_days, streak_events, streaks

_STATE = select(streaks).where(
    streaks.c.channel_id == bindparam("channel_id"), streaks.c.member_id == bindparam("member_id")
)
_STATES = select(streaks).where(
    streaks.c.channel_id == bindparam("channel_id"),
    streaks.c.member_id.in_(bindparam("member_ids", expanding=True)),
)
_REST_DAYS = select(rest_days.c.member_id, rest_days.c.day).where(
    rest_days.c.channel_id == bindparam("channel_id"),
    rest_days.c.member_id.in_(bindparam("member_ids", expanding=True)),
    rest_days.c.day.between(bindparam("first"), bindparam("last")),
)
_COLUMNS = ("current", "longest", "freezes", "last_day")
# What a member is told about the next time they interact.
NEWS = (ChangeKind.FREEZE_SPENT, ChangeKind.RESET, ChangeKind.REPAIRED)


# Read on every member action (news shown with the reply): built once, run with bind parameters.
_UNSEEN_WHERE = (  # bind names differ from the columns: an UPDATE reserves those
    (streak_events.c.channel_id == bindparam("whose_channel"))
    & (streak_events.c.member_id == bindparam("whose_member"))
    & streak_events.c.seen.is_(False)
)
_UNSEEN = (
    select(streak_events.c.kind, streak_events.c.day, streak_events.c.count)
    .where(_UNSEEN_WHERE)
    .order_by(streak_events.c.id)
)
_MARK_SEEN = update(streak_events).where(_UNSEEN_WHERE).values(seen=True)
_NOTICES = (
    select(member_notices.c.id, member_notices.c.text)
    .where(member_notices.c.channel_id == bindparam("channel_id"))
    .where(member_notices.c.member_id == bindparam("member_id"))
    .order_by(member_notices.c.id)
)


class StreakRepo:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def state(self, channel_id: int, member_id: int) -> StreakState:
        row = self._c.execute(_STATE, {"channel_id": channel_id, "member_id": member_id}).first()
        return (
            StreakState(row.current, row.longest, row.freezes, row.last_day)
            if row
            else StreakState()
        )

    def states(self, channel_id: int, member_ids: Sequence[int]) -> dict[int, StreakState]:
        params = {"channel_id": channel_id, "member_ids": list(member_ids)}
        return {
            row.member_id: StreakState(row.current, row.longest, row.freezes, row.last_day)
            for row in self._c.execute(_STATES, params)
        }

    def save(
        self,
        channel_id: int,
        member_id: int,
        state: StreakState,
        changes: Sequence[Change],
        now: datetime,
        reason: str | None = None,
    ) -> None:
        """Keep the new state and append its changes to the log, in one transaction."""
        statement = upsert(self._c, streaks, ("channel_id", "member_id"), _COLUMNS)
        key = {"channel_id": channel_id, "member_id": member_id}
        self._c.execute(statement, {**key, **{c: getattr(state, c) for c in _COLUMNS}})
        if changes:
            rows = [_event(key, change, now, reason) for change in changes]
            self._c.execute(streak_events.insert(), rows)

    def log(self, channel_id: int, member_id: int) -> list[Change]:
        query = (
            select(streak_events.c.kind, streak_events.c.day, streak_events.c.count)
            .where(streak_events.c.channel_id == channel_id)
            .where(streak_events.c.member_id == member_id)
            .order_by(streak_events.c.id)
        )
        return [Change(ChangeKind(kind), day, count) for kind, day, count in self._c.execute(query)]

    def take_news(self, channel_id: int, member_id: int) -> list[Change]:
        """Changes the member has not been told about yet; they count as told from now on."""
        whose = {"whose_channel": channel_id, "whose_member": member_id}
        found = self._c.execute(_UNSEEN, whose).all()
        if found:
            self._c.execute(_MARK_SEEN, whose)
        return [Change(ChangeKind(kind), day, count) for kind, day, count in found]

    def notify(self, channel_id: int, member_id: int, text: str, now: datetime) -> None:
        """Keep a private note for the member, shown the next time they interact."""
        row = {"channel_id": channel_id, "member_id": member_id, "text": text, "created_at": now}
        self._c.execute(member_notices.insert(), row)

    def take_notices(self, channel_id: int, member_id: int) -> list[str]:
        whose = {"channel_id": channel_id, "member_id": member_id}
        found = self._c.execute(_NOTICES, whose).all()
        if found:
            ids = [row.id for row in found]
            self._c.execute(delete(member_notices).where(member_notices.c.id.in_(ids)))
        return [row.text for row in found]

    def rest(self, channel_id: int, member_id: int, days: Sequence[date]) -> None:
        rows = [{"channel_id": channel_id, "member_id": member_id, "day": day} for day in days]
        self._c.execute(insert_ignoring_conflicts(self._c, rest_days), rows)

    def rest_days(self, channel_id: int, member_id: int, first: date, last: date) -> set[date]:
        return self.rests_of(channel_id, [member_id], first, last).get(member_id, set())

    def rests_of(
        self, channel_id: int, member_ids: Sequence[int], first: date, last: date
    ) -> dict[int, set[date]]:
        """Each member's rest days from ``first`` to ``last`` (members without any left out)."""
        params = {"channel_id": channel_id, "member_ids": list(member_ids)}
        found: dict[int, set[date]] = defaultdict(set)
        for member_id, day in self._c.execute(_REST_DAYS, params | {"first": first, "last": last}):
            found[member_id].add(day)
        return dict(found)

    def answered_days(self, channel_id: int, member_id: int, first: date, last: date) -> set[date]:
        """Drill days the member's answers counted for (the streak log's ``answered`` entries)."""
        query = select(streak_events.c.day).where(
            streak_events.c.channel_id == channel_id,
            streak_events.c.member_id == member_id,
            streak_events.c.kind == ChangeKind.ANSWERED.value,
            streak_events.c.day.between(first, last),
        )
        return set(self._c.execute(query).scalars())

    def rest_count(self, channel_id: int, member_id: int, first: date, last: date) -> int:
        query = select(func.count()).where(
            rest_days.c.channel_id == channel_id,
            rest_days.c.member_id == member_id,
            rest_days.c.day.between(first, last),
        )
        return int(self._c.execute(query).scalar_one())


def _event(
    key: dict[str, int], change: Change, now: datetime, reason: str | None
) -> dict[str, object]:
    told = change.kind not in NEWS
    return {
        **key,
        "day": change.day,
        "kind": change.kind.value,
        "count": change.count,
        "reason": reason,
        "created_at": now,
        "seen": told,
    }
