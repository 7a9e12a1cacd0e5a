"""When things happen: post instants in a channel's local time, due dates, weeks.

Every function takes the clock as an argument; nothing here reads the time.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.model import ChannelSettings

LOOKAHEAD_DAYS = 400  # holidays and claimed dates may push the next post far ahead
NO_DATES: frozenset[date] = frozenset()


def post_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of ``at`` on local ``day``.

    A wall time that does not exist (spring forward) lands after the gap and an ambiguous one
    (fall back) takes its first occurrence, as APScheduler's cron trigger does.
    """
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def local_date(instant: datetime, zone: ZoneInfo) -> date:
    return instant.astimezone(zone).date()


def next_post_after(
    settings: ChannelSettings, after: datetime, taken: Collection[date] = NO_DATES
) -> datetime:
    """The first daily post instant strictly after ``after`` on a local date not in ``taken``.

    ``taken`` holds the dates that will not post: already claimed (posted or skipped) and holidays.
    Everything that shows or decides "the next drill" goes through here.
    """
    return _next_on_days(settings.days, settings.post_time, settings.zone, after, taken)


def next_weekly_after(settings: ChannelSettings, after: datetime) -> datetime:
    """The first weekly leaderboard instant strictly after ``after``."""
    day = frozenset({settings.weekly_day})
    return _next_on_days(day, settings.weekly_time, settings.zone, after)


@dataclass(frozen=True)
class WakeTime:
    """A local time on some weekdays in one zone: when the channels sharing it need a look."""

    purpose: str  # "daily" (drills) or "weekly" (leaderboards)
    timezone: str
    at: time
    days: frozenset[int]

    @property
    def key(self) -> str:
        """The same text for every channel with this schedule (one cron job serves them all)."""
        days = "".join(str(day) for day in sorted(self.days))
        return f"{self.purpose}:{self.timezone}:{self.at:%H:%M}:{days}"


def wake_times(settings: ChannelSettings) -> tuple[WakeTime, WakeTime]:
    """The channel's daily drill schedule and its weekly leaderboard schedule."""
    zone, weekly_day = settings.timezone, frozenset({settings.weekly_day})
    return (
        WakeTime("daily", zone, settings.post_time, settings.days),
        WakeTime("weekly", zone, settings.weekly_time, weekly_day),
    )


def _next_on_days(
    days: frozenset[int],
    at: time,
    zone: ZoneInfo,
    after: datetime,
    taken: Collection[date] = NO_DATES,
) -> datetime:
    start = local_date(after, zone) - timedelta(days=1)
    for offset in range(LOOKAHEAD_DAYS + 1):
        day = start + timedelta(days=offset)
        instant = post_instant(day, at, zone)
        if day.weekday() in days and instant > after and day not in taken:
            return instant
    raise ValueError("a channel must post on at least one day of the week")


@dataclass(frozen=True)
class DuePlan:
    """What to do for posts whose time has come: dates to skip, the date to post, what is next."""

    skip: tuple[date, ...]
    post: date | None
    next_post_at: datetime


def plan_due_posts(
    settings: ChannelSettings,
    next_post_at: datetime,
    now: datetime,
    grace: timedelta,
    taken: Collection[date] = NO_DATES,
) -> DuePlan:
    """Walk every post instant up to ``now``: only the latest may post, and only within grace."""
    due: list[tuple[date, datetime]] = []
    cursor = next_post_at
    if local_date(cursor, settings.zone) in taken:
        cursor = next_post_after(settings, cursor, taken)
    while cursor <= now:
        due.append((local_date(cursor, settings.zone), cursor))
        cursor = next_post_after(settings, cursor, taken)
    if not due:
        return DuePlan((), None, cursor)
    *older, (last_day, last_at) = due
    skipped = tuple(day for day, _ in older)
    if now - last_at <= grace:
        return DuePlan(skipped, last_day, cursor)
    return DuePlan((*skipped, last_day), None, cursor)


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def previous_week(instant: datetime, zone: ZoneInfo) -> tuple[date, date]:
    """Monday and Sunday of the full week before the local week holding ``instant``."""
    monday = week_start(local_date(instant, zone)) - timedelta(days=7)
    return monday, monday + timedelta(days=6)


def current_week(instant: datetime, zone: ZoneInfo) -> tuple[date, date]:
    monday = week_start(local_date(instant, zone))
    return monday, monday + timedelta(days=6)
