"""Drill channels with their settings, and the members who act in them."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.core.model import Actor, Channel, ChannelSettings
from bot.storage.repos.sql import insert_ignoring_conflicts
from bot.storage.tables import channels, custom_drills, members


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
    )


def _channel(row: Any) -> Channel:
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
    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def get(self, channel_id: int) -> Channel | None:
        row = (await self._c.execute(select(channels).where(channels.c.id == channel_id))).first()
        return _channel(row) if row else None

    async def find(self, platform: str, space_ref: str, channel_ref: str) -> Channel | None:
        query = select(channels).where(
            channels.c.platform == platform,
            channels.c.space_ref == space_ref,
            channels.c.channel_ref == channel_ref,
        )
        row = (await self._c.execute(query)).first()
        return _channel(row) if row else None

    async def add(
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
        await self._c.execute(statement.values(**values, **settings_columns(settings)))

    async def save(
        self,
        channel_id: int,
        settings: ChannelSettings,
        next_post_at: datetime | None,
        next_weekly_at: datetime | None,
    ) -> None:
        values = settings_columns(settings)
        values.update(next_post_at=next_post_at, next_weekly_at=next_weekly_at)
        await self._c.execute(update(channels).where(channels.c.id == channel_id).values(**values))

    async def set_next_post(self, channel_id: int, at: datetime | None) -> None:
        statement = update(channels).where(channels.c.id == channel_id).values(next_post_at=at)
        await self._c.execute(statement)

    async def set_next_weekly(self, channel_id: int, at: datetime | None) -> None:
        statement = update(channels).where(channels.c.id == channel_id).values(next_weekly_at=at)
        await self._c.execute(statement)

    async def due_posts(self, now: datetime, limit: int = 500) -> list[Channel]:
        query = (
            select(channels).where(channels.c.next_post_at <= now).order_by(channels.c.next_post_at)
        )
        return [_channel(row) for row in await self._c.execute(query.limit(limit))]

    async def due_weekly(self, now: datetime, limit: int = 500) -> list[Channel]:
        column = channels.c.next_weekly_at
        query = select(channels).where(column <= now).order_by(column).limit(limit)
        return [_channel(row) for row in await self._c.execute(query)]

    async def all(self) -> list[Channel]:
        return [
            _channel(row) for row in await self._c.execute(select(channels).order_by(channels.c.id))
        ]

    async def earliest_due(self) -> datetime | None:
        query = select(func.min(channels.c.next_post_at), func.min(channels.c.next_weekly_at))
        row = (await self._c.execute(query)).one()
        found = [value for value in row if value is not None]
        return min(found) if found else None

    async def custom_drills(self, channel_id: int) -> list[str]:
        query = select(custom_drills.c.body).where(custom_drills.c.channel_id == channel_id)
        return list((await self._c.execute(query.order_by(custom_drills.c.id))).scalars())

    async def save_custom_drill(
        self, channel_id: int, drill_id: str, body: str, now: datetime
    ) -> None:
        """Add or replace one of the channel's own drills."""
        key = (custom_drills.c.channel_id == channel_id, custom_drills.c.drill_id == drill_id)
        changed = await self._c.execute(update(custom_drills).where(*key).values(body=body))
        if changed.rowcount == 0:
            values = dict(channel_id=channel_id, drill_id=drill_id, body=body, created_at=now)
            await self._c.execute(custom_drills.insert().values(**values))


class MemberRepo:
    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def ensure(self, actor: Actor) -> int:
        """The member's id, creating them on first sight and keeping their display name fresh."""
        key = (
            members.c.platform == actor.platform,
            members.c.space_ref == actor.space_ref,
            members.c.user_ref == actor.user_ref,
        )
        row = (
            await self._c.execute(select(members.c.id, members.c.display_name).where(*key))
        ).first()
        if row is None:
            values = dict(
                platform=actor.platform,
                space_ref=actor.space_ref,
                user_ref=actor.user_ref,
                display_name=actor.display_name[:100],
            )
            await self._c.execute(insert_ignoring_conflicts(self._c, members).values(**values))
            return int((await self._c.execute(select(members.c.id).where(*key))).scalar_one())
        if row.display_name != actor.display_name[:100]:
            rename = update(members).where(members.c.id == row.id)
            await self._c.execute(rename.values(display_name=actor.display_name[:100]))
        return int(row.id)

    async def name(self, member_id: int) -> str:
        query = select(members.c.display_name).where(members.c.id == member_id)
        return str((await self._c.execute(query)).scalar_one())
