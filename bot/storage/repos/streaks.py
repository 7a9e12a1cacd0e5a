"""Streak state per member and channel, its audit log, and members' rest days."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ARRAY,
    Boolean,
    Connection,
    Date,
    Integer,
    String,
    bindparam,
    cast,
    delete,
    func,
    literal_column,
    null,
    select,
    union_all,
    update,
)

from bot.core.streaks import Change, ChangeKind, StreakState
from bot.storage.repos.driver import fetch_on_driver
from bot.storage.repos.sql import (
    execute_hot,
    execute_ignoring_conflicts,
    execute_upsert,
    typed_text,
)
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
# A statement's logged changes as one array per column (PostgreSQL's ``unnest`` reads them).
EVENT_ARRAY_TYPES: dict[str, Any] = {
    "days": Date(),
    "kinds": String(),
    "counts": Integer(),
    "seen": Boolean(),
}
_EVENT_ARRAYS = (("days", "day"), ("kinds", "kind"), ("counts", "count"), ("seen", "seen"))
# The stored state a new one was worked out from, as a guarded write's parameters (``was_values``).
WAS_PARAMS = tuple(bindparam(f"was_{name}", type_=streaks.c[name].type) for name in _COLUMNS)
# What a member is told about the next time they interact.
NEWS = (ChangeKind.FREEZE_SPENT, ChangeKind.RESET, ChangeKind.REPAIRED)


_LOG = streak_events.insert()  # built once: building a statement costs more than running it

# Read on every member action (news shown with the reply): built once, run with bind parameters.
_UNSEEN_WHERE = (  # bind names differ from the columns: an UPDATE reserves those
    (streak_events.c.channel_id == bindparam("whose_channel"))
    & (streak_events.c.member_id == bindparam("whose_member"))
    & streak_events.c.seen.is_(False)
)
_MARK_SEEN = update(streak_events).where(_UNSEEN_WHERE).values(seen=True)
# Both kinds of news in one read: nearly always there is none, and then that is all it costs.
_ALL_NEWS = union_all(
    select(
        literal_column("'event'").label("source"),
        streak_events.c.id,
        streak_events.c.kind,
        streak_events.c.day,
        streak_events.c.count,
        cast(null(), String).label("text"),
    ).where(_UNSEEN_WHERE),
    select(
        literal_column("'notice'"),
        member_notices.c.id,
        cast(null(), String),
        cast(null(), Date),
        cast(null(), Integer),
        member_notices.c.text,
    )
    .where(member_notices.c.channel_id == bindparam("whose_channel"))
    .where(member_notices.c.member_id == bindparam("whose_member")),
).order_by("source", "id")


# PostgreSQL: the new state and its logged changes in one statement, kept only if the stored
# state is still the one the new state was worked out from (``was``). Another action of the same
# member (an answer in another round, a rest day) may have written it since it was read: then
# nothing is written, and the work runs again from a fresh read (``StreakChanged``), so no
# action's day is lost to another's write. The condition is checked on the row as it stands,
# locked, not on the statement's snapshot.
_SAVE = typed_text(
    """
WITH kept AS (
    INSERT INTO streaks (channel_id, member_id, current, longest, freezes, last_day)
    VALUES (:channel_id, :member_id, :current, :longest, :freezes, :last_day)
    ON CONFLICT (channel_id, member_id) DO UPDATE SET current = excluded.current,
        longest = excluded.longest, freezes = excluded.freezes, last_day = excluded.last_day
    WHERE (streaks.current, streaks.longest, streaks.freezes, streaks.last_day)
        IS NOT DISTINCT FROM (:was_current, :was_longest, :was_freezes, :was_last_day)
    RETURNING 1
), logged AS (
    INSERT INTO streak_events (channel_id, member_id, day, kind, count, reason, created_at, seen)
    SELECT :channel_id, :member_id, change.day, change.kind, change.count, :reason, :created_at,
        change.seen
    FROM kept, unnest(:days, :kinds, :counts, :seen) AS change (day, kind, count, seen)
)
SELECT count(*) AS kept FROM kept
""",
    (
        *(streaks.c[name] for name in ("channel_id", "member_id", *_COLUMNS)),
        *(streak_events.c[name] for name in ("reason", "created_at")),
    ),
).bindparams(
    *WAS_PARAMS,
    *(bindparam(name, type_=ARRAY(type_)) for name, type_ in EVENT_ARRAY_TYPES.items()),
)


class StreakChanged(Exception):
    """The member's streak was written by another of their actions since this one read it: the
    work runs again from a fresh read (``Database.run``)."""


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
        *,
        was: StreakState,
        reason: str | None = None,
    ) -> None:
        """Keep the new state, worked out from ``was`` (the state as read), and append its
        changes to the log, in one transaction. ``StreakChanged`` if the stored state is no
        longer ``was`` (PostgreSQL; SQLite's writers take turns, so it cannot change)."""
        key = {"channel_id": channel_id, "member_id": member_id}
        columns = {c: getattr(state, c) for c in _COLUMNS}
        rows = [event_row(key, change, now, reason) for change in changes]
        if self._c.dialect.name == "postgresql":
            params = {**key, **columns, **was_values(was), **event_arrays(rows)}
            saved = fetch_on_driver(self._c, _SAVE, params | {"reason": reason, "created_at": now})
            if not saved[0].kept:
                raise StreakChanged()
            return
        execute_upsert(self._c, streaks, ("channel_id", "member_id"), {**key, **columns})
        if rows:
            # One row (the usual case) goes as a plain execute: executemany costs more per call.
            execute_hot(self._c, _LOG, rows[0] if len(rows) == 1 else rows)

    def log(self, channel_id: int, member_id: int) -> list[Change]:
        query = (
            select(streak_events.c.kind, streak_events.c.day, streak_events.c.count)
            .where(streak_events.c.channel_id == channel_id)
            .where(streak_events.c.member_id == member_id)
            .order_by(streak_events.c.id)
        )
        return [Change(ChangeKind(kind), day, count) for kind, day, count in self._c.execute(query)]

    def notify(self, channel_id: int, member_id: int, text: str, now: datetime) -> None:
        """Keep a private note for the member, shown the next time they interact."""
        row = {"channel_id": channel_id, "member_id": member_id, "text": text, "created_at": now}
        self._c.execute(member_notices.insert(), row)

    def take_all_news(self, channel_id: int, member_id: int) -> tuple[list[Change], list[str]]:
        """Streak changes and notes the member has not been told about yet (they count as told
        from now on); one read when there is nothing new."""
        whose = {"whose_channel": channel_id, "whose_member": member_id}
        rows = self._c.execute(_ALL_NEWS, whose).all()
        events = [row for row in rows if row.source == "event"]
        notices = [row for row in rows if row.source == "notice"]
        if events:
            self._c.execute(_MARK_SEEN, whose)
        self._forget_notices([row.id for row in notices])
        changes = [Change(ChangeKind(row.kind), row.day, row._mapping["count"]) for row in events]
        return changes, [row.text for row in notices]

    def _forget_notices(self, ids: list[int]) -> None:
        if ids:
            self._c.execute(delete(member_notices).where(member_notices.c.id.in_(ids)))

    def rest(self, channel_id: int, member_id: int, days: Sequence[date]) -> None:
        rows = [{"channel_id": channel_id, "member_id": member_id, "day": day} for day in days]
        execute_ignoring_conflicts(self._c, rest_days, rows)

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


def was_values(state: StreakState) -> dict[str, object]:
    return {f"was_{name}": getattr(state, name) for name in _COLUMNS}


def event_arrays(rows: Sequence[dict[str, object]]) -> dict[str, list[object]]:
    return {key: [row[column] for row in rows] for key, column in _EVENT_ARRAYS}


def event_row(
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
