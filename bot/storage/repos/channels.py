"""Drill channels with their settings, and the members who act in them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, select, update

from bot.core.model import Actor, Channel, ChannelSettings
from bot.core.schedule import WakeTime, wake_times
from bot.storage.repos.sql import (
    execute_hot,
    execute_ignoring_conflicts,
    insert_ignoring_conflicts,
    typed_text,
)
from bot.storage.tables import channels, custom_drills, holidays, members

_GET = select(channels).where(channels.c.id == bindparam("channel_id"))
_ZONE = select(channels.c.timezone).where(channels.c.id == bindparam("channel_id"))
_MEMBER = select(members.c.id, members.c.display_name).where(
    members.c.platform == bindparam("platform"),
    members.c.space_ref == bindparam("space_ref"),
    members.c.user_ref == bindparam("user_ref"),
)
# One statement whether the member is new, renamed or unchanged (both databases say it so).
_ENSURE = typed_text(
    "INSERT INTO members (platform, space_ref, user_ref, display_name)"
    " VALUES (:platform, :space_ref, :user_ref, :display_name)"
    " ON CONFLICT (platform, space_ref, user_ref)"
    " DO UPDATE SET display_name = excluded.display_name RETURNING id",
    (members.c.platform, members.c.space_ref, members.c.user_ref, members.c.display_name),
)
_NAME = select(members.c.display_name).where(members.c.id == bindparam("member_id"))
# The schedule columns alone, each combination once: start-up reads this instead of every channel.
_SCHEDULES = select(
    channels.c.timezone,
    channels.c.post_time,
    channels.c.days,
    channels.c.weekly_day,
    channels.c.weekly_time,
).distinct()
# Looked up on nearly every member action: built once (building a statement costs more than
# running it on SQLite).
_FIND = select(channels).where(
    channels.c.platform == bindparam("platform"),
    channels.c.space_ref == bindparam("space_ref"),
    channels.c.channel_ref == bindparam("channel_ref"),
)


def settings_columns(settings: ChannelSettings) -> dict[str, Any]:
    return {
        "post_time": settings.post_time.strftime("%H:%M"),
        "timezone": settings.timezone,
        "days": "".join(str(day) for day in sorted(settings.days)),
        "kinds": ",".join(settings.kinds),
        "answer_window_minutes": int(settings.answer_window.total_seconds() // 60),
        "paused": settings.paused,
        "weekly_day": settings.weekly_day,
        "weekly_time": settings.weekly_time.strftime("%H:%M"),
        "min_answer_chars": settings.min_answer_chars,
        "show_reviewers": settings.show_reviewers,
        "blind": settings.blind,
        "review_window_minutes": int(settings.review_window.total_seconds() // 60),
    }


def _settings(row: Any) -> ChannelSettings:
    return ChannelSettings(
        post_time=time.fromisoformat(row.post_time),
        timezone=row.timezone,
        days=frozenset(int(day) for day in row.days),
        kinds=tuple(kind for kind in row.kinds.split(",") if kind),
        answer_window=timedelta(minutes=row.answer_window_minutes),
        paused=row.paused,
        weekly_day=row.weekly_day,
        weekly_time=time.fromisoformat(row.weekly_time),
        min_answer_chars=row.min_answer_chars,
        show_reviewers=row.show_reviewers,
        blind=row.blind,
        review_window=timedelta(minutes=row.review_window_minutes),
    )


def channel_from_row(row: Any) -> Channel:
    return Channel(
        id=row.id,
        platform=row.platform,
        space_ref=row.space_ref,
        channel_ref=row.channel_ref,
        settings=_settings(row),
        next_post_at=row.next_post_at,
        next_weekly_at=row.next_weekly_at,
    )


class ChannelRepo:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def get(self, channel_id: int) -> Channel | None:
        row = self._c.execute(_GET, {"channel_id": channel_id}).first()
        return channel_from_row(row) if row else None

    def timezone(self, channel_id: int) -> str | None:
        found: str | None = self._c.execute(_ZONE, {"channel_id": channel_id}).scalar_one_or_none()
        return found

    def find(self, platform: str, space_ref: str, channel_ref: str) -> Channel | None:
        place = {"platform": platform, "space_ref": space_ref, "channel_ref": channel_ref}
        row = self._c.execute(_FIND, place).first()
        return channel_from_row(row) if row else None

    def add(
        self,
        platform: str,
        space_ref: str,
        channel_ref: str,
        settings: ChannelSettings,
        now: datetime,
    ) -> None:
        """Register a drill channel; an existing one is left as it is."""
        values = dict(
            platform=platform, space_ref=space_ref, channel_ref=channel_ref, created_at=now
        )
        statement = insert_ignoring_conflicts(self._c, channels)
        self._c.execute(statement.values(**values, **settings_columns(settings)))

    def save(
        self,
        channel_id: int,
        settings: ChannelSettings,
        next_post_at: datetime | None,
        next_weekly_at: datetime | None,
    ) -> None:
        values = settings_columns(settings)
        values.update(next_post_at=next_post_at, next_weekly_at=next_weekly_at)
        self._c.execute(update(channels).where(channels.c.id == channel_id).values(**values))

    def set_next_post(self, channel_id: int, at: datetime | None) -> None:
        statement = update(channels).where(channels.c.id == channel_id).values(next_post_at=at)
        self._c.execute(statement)

    def set_next_weekly(self, channel_id: int, at: datetime | None) -> None:
        statement = update(channels).where(channels.c.id == channel_id).values(next_weekly_at=at)
        self._c.execute(statement)

    def due_posts(self, now: datetime, limit: int = 500) -> list[Channel]:
        query = (
            select(channels).where(channels.c.next_post_at <= now).order_by(channels.c.next_post_at)
        )
        return [channel_from_row(row) for row in self._c.execute(query.limit(limit))]

    def due_weekly(self, now: datetime, limit: int = 500) -> list[Channel]:
        column = channels.c.next_weekly_at
        query = select(channels).where(column <= now).order_by(column).limit(limit)
        return [channel_from_row(row) for row in self._c.execute(query)]

    def all(self) -> list[Channel]:
        return [
            channel_from_row(row)
            for row in self._c.execute(select(channels).order_by(channels.c.id))
        ]

    def wake_times(self) -> set[WakeTime]:
        """Every distinct daily and weekly schedule in use, however many channels share each."""
        found: set[WakeTime] = set()
        for row in self._c.execute(_SCHEDULES):
            settings = ChannelSettings(
                post_time=time.fromisoformat(row.post_time),
                timezone=row.timezone,
                days=frozenset(int(day) for day in row.days),
                weekly_day=row.weekly_day,
                weekly_time=time.fromisoformat(row.weekly_time),
            )
            found.update(wake_times(settings))
        return found

    def earliest_due(self) -> datetime | None:
        query = select(func.min(channels.c.next_post_at), func.min(channels.c.next_weekly_at))
        row = (self._c.execute(query)).one()
        found = [value for value in row if value is not None]
        return min(found) if found else None

    def holidays(self, channel_id: int, first: date) -> set[date]:
        query = select(holidays.c.day).where(
            holidays.c.channel_id == channel_id, holidays.c.day >= first
        )
        return set(self._c.execute(query).scalars())

    def add_holidays(self, channel_id: int, days: Sequence[date]) -> None:
        rows = [{"channel_id": channel_id, "day": day} for day in days]
        execute_ignoring_conflicts(self._c, holidays, rows)

    def remove_holidays(self, channel_id: int, days: Sequence[date]) -> None:
        statement = delete(holidays).where(
            holidays.c.channel_id == channel_id, holidays.c.day.in_(list(days))
        )
        self._c.execute(statement)

    def custom_drills(self, channel_id: int) -> list[str]:
        query = select(custom_drills.c.body).where(custom_drills.c.channel_id == channel_id)
        return list((self._c.execute(query.order_by(custom_drills.c.id))).scalars())

    def save_custom_drill(self, channel_id: int, drill_id: str, body: str, now: datetime) -> None:
        """Add or replace one of the channel's own drills."""
        key = (custom_drills.c.channel_id == channel_id, custom_drills.c.drill_id == drill_id)
        changed = self._c.execute(update(custom_drills).where(*key).values(body=body))
        if changed.rowcount == 0:
            values = dict(channel_id=channel_id, drill_id=drill_id, body=body, created_at=now)
            self._c.execute(custom_drills.insert().values(**values))

    def in_space(self, platform: str, space_ref: str) -> list[Channel]:
        """A workspace's drill channels, oldest registration first."""
        query = (
            select(channels)
            .where(channels.c.platform == platform, channels.c.space_ref == space_ref)
            .order_by(channels.c.id)
        )
        return [channel_from_row(row) for row in self._c.execute(query)]

    def space_of(self, platform: str, channel_ref: str) -> str | None:
        """The space a registered channel belongs to (the first, should two spaces share it)."""
        query = (
            select(channels.c.space_ref)
            .where(channels.c.platform == platform, channels.c.channel_ref == channel_ref)
            .order_by(channels.c.id)
            .limit(1)
        )
        found = self._c.execute(query).scalar_one_or_none()
        return str(found) if found is not None else None


MemberKey = tuple[str, str, str]


def stored_name(actor: Actor) -> str:
    """The display name as the members table keeps it (its column holds 100 characters)."""
    return actor.display_name[:100]


class MemberRepo:
    def __init__(
        self, connection: Connection, known: dict[MemberKey, tuple[int, str]] | None = None
    ) -> None:
        self._c = connection
        # Ids of committed rows the process has seen (members are never deleted), with the name
        # they had: a member seen again with the same name costs no statement at all. Ids seen in
        # this transaction join them only once it commits (a rolled-back insert leaves no row).
        self._known = {} if known is None else known
        self._seen: dict[MemberKey, tuple[int, str]] = {}

    def ensure(self, actor: Actor) -> int:
        """The member's id, creating them on first sight and keeping their display name fresh."""
        name = stored_name(actor)
        whose = (actor.platform, actor.space_ref, actor.user_ref)
        known = self._seen.get(whose) or self._known.get(whose)
        if known is not None and known[1] == name:
            return known[0]
        key = {"platform": actor.platform, "space_ref": actor.space_ref, "user_ref": actor.user_ref}
        [(member_id,)] = execute_hot(self._c, _ENSURE, {**key, "display_name": name}).fetchall()
        self._seen[whose] = (int(member_id), name)
        return int(member_id)

    def remember(self, actor: Actor, member_id: int) -> None:
        """``member_id`` is the actor's row, as named now (read or written in this transaction)."""
        whose = (actor.platform, actor.space_ref, actor.user_ref)
        self._seen[whose] = (member_id, stored_name(actor))

    def known(self, actor: Actor) -> tuple[int, str] | None:
        """The actor's row and the name it had when last seen, if the process has seen it."""
        whose = (actor.platform, actor.space_ref, actor.user_ref)
        return self._seen.get(whose) or self._known.get(whose)

    def committed(self, seen: dict[MemberKey, tuple[int, str]] | None = None) -> None:
        """The transaction committed: the members it saw (or ``seen``, as they stood at the
        commit) are known rows from now on."""
        self._known.update(self._seen if seen is None else seen)

    def seen(self) -> dict[MemberKey, tuple[int, str]]:
        """The members this transaction has seen so far."""
        return dict(self._seen)

    def name(self, member_id: int) -> str:
        return str(self._c.execute(_NAME, {"member_id": member_id}).scalar_one())

    def named(self, platform: str, space_ref: str, name: str) -> list[tuple[int, str]]:
        """Members of a space whose user id or display name is ``name`` (case-insensitive)."""
        query = select(members.c.id, members.c.display_name).where(
            members.c.platform == platform,
            members.c.space_ref == space_ref,
            (members.c.user_ref == name) | (func.lower(members.c.display_name) == name.lower()),
        )
        return [(int(row.id), str(row.display_name)) for row in self._c.execute(query)]

    def find(self, platform: str, space_ref: str, user_ref: str) -> int | None:
        """The member's id without creating them (read-only use cases)."""
        whose = (platform, space_ref, user_ref)
        known = self._seen.get(whose) or self._known.get(whose)
        if known is not None:
            return known[0]
        key = {"platform": platform, "space_ref": space_ref, "user_ref": user_ref}
        row = self._c.execute(_MEMBER, key).first()
        return int(row.id) if row is not None else None
