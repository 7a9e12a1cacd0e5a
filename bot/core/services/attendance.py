"""Attendance: the drill days a member answered, missed or rested, and the streak they make.

The rules live in ``bot.core.streaks``; this module reads the calendar they need from storage (the
channel's drill days, the member's rest days) and keeps the state and its audit log together.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from bot.core.cards import Reply, refuse, tell
from bot.core.model import Actor, Channel
from bot.core.schedule import local_date
from bot.core.services.context import Core
from bot.core.streaks import (
    Change,
    ChangeKind,
    StreakState,
    current_as_of,
    freezes_as_of,
    missed_between,
    record_day,
    repair,
)
from bot.storage.uow import UnitOfWork

REST_LIMIT = 14  # rest days a member may take in any REST_PERIOD
REST_PERIOD = timedelta(days=90)
MAX_REPAIR_DAYS = 3650


def _missed(
    uow: UnitOfWork, channel_id: int, member_id: int, after: date | None, before: date
) -> int:
    if after is None or before - after <= timedelta(days=1):
        return 0  # no day lies strictly between them: nothing to read
    drill_days = uow.rounds.drill_days(channel_id, after, before)
    rest = uow.streaks.rest_days(channel_id, member_id, after, before)
    return missed_between(drill_days, rest, after, before)


def count_day(
    uow: UnitOfWork,
    channel_id: int,
    member_id: int,
    day: date,
    now: datetime,
    state: StreakState | None = None,
) -> None:
    """The member answered drill day ``day``: extend (or restart) their streak and log it.
    ``state``: their kept state, when the caller read it already in this transaction."""
    state = uow.streaks.state(channel_id, member_id) if state is None else state
    new_state, changes = next_state(uow, channel_id, member_id, day, state)
    if changes:
        uow.streaks.save(channel_id, member_id, new_state, changes, now, was=state)


def next_state(
    uow: UnitOfWork, channel_id: int, member_id: int | None, day: date, state: StreakState
) -> tuple[StreakState, list[Change]]:
    """The streak after the member answered drill day ``day``, and its changes (nothing written).
    ``member_id`` None: a member not made yet, whose ``state`` is a fresh one."""
    missed = 0 if member_id is None else _missed(uow, channel_id, member_id, state.last_day, day)
    return record_day(state, day, missed)


def standing(
    uow: UnitOfWork, channel: Channel, member_id: int, now: datetime
) -> tuple[StreakState, int, int]:
    """The member's kept state with the streak and freezes they hold today."""
    state = uow.streaks.state(channel.id, member_id)
    today = local_date(now, channel.settings.zone)
    missed = _missed(uow, channel.id, member_id, state.last_day, today)
    return state, current_as_of(state, missed), freezes_as_of(state, missed)


def streaks_today(
    uow: UnitOfWork, channel: Channel, member_ids: Sequence[int], now: datetime
) -> dict[int, int]:
    """The streaks of several members today (the leaderboard's column), read in three statements
    whatever their number: their states, the drill days since the earliest last day, their rests."""
    today = local_date(now, channel.settings.zone)
    states = uow.streaks.states(channel.id, member_ids)
    since = min((s.last_day for s in states.values() if s.last_day is not None), default=today)
    drill_days = uow.rounds.drill_days(channel.id, since, today) if since < today else []
    rests = uow.streaks.rests_of(channel.id, list(states), since, today) if drill_days else {}
    return {
        member_id: current_as_of(
            state, missed_between(drill_days, rests.get(member_id, ()), state.last_day, today)
        )
        for member_id, state in states.items()
    }


def news(uow: UnitOfWork, channel: Channel, member_id: int) -> list[str]:
    """What the member has not been told yet, in words: streak changes, then round earnings."""
    changes, notices = uow.streaks.take_all_news(channel.id, member_id)
    return [_news_line(change) for change in changes] + notices


def home_channel(uow: UnitOfWork, actor: Actor) -> Channel | None:
    """The member's drill channel in their space: the one they answered in last, else the first."""
    channels = uow.channels.in_space(actor.platform, actor.space_ref)
    member_id = uow.members.find(actor.platform, actor.space_ref, actor.user_ref)
    history = uow.answers.recent_of_member(member_id, 1) if member_id is not None else []
    by_id = {channel.id: channel for channel in channels}
    recent = next((by_id[a.channel_id] for a in history if a.channel_id in by_id), None)
    return recent or (channels[0] if channels else None)


def _news_line(change: Change) -> str:
    when = f"{change.day:%a %d %b}"
    match change.kind:
        case ChangeKind.FREEZE_SPENT:
            spent = "a streak freeze" if change.count == 1 else f"{change.count} streak freezes"
            return f"You missed drill days before {when}: {spent} kept your streak going."
        case ChangeKind.RESET:
            return f"Your {change.count}-day streak ended before {when}: more drill days were missed than you had freezes."
        case ChangeKind.REPAIRED:
            return f"An admin repaired your streak to {change.count} days as of {when}."
        case _:
            return f"Streak change on {when}: {change.kind.value}."


_REST = re.compile(r"^(\d{1,2})d?$")


async def take_rest(core: Core, actor: Actor, channel: Channel, text: str, now: datetime) -> Reply:
    """``streak rest 3d``: the next days off, starting today, within the rolling limit."""
    match = _REST.fullmatch(text.strip().lower())
    if match is None or not 1 <= int(match.group(1)) <= REST_LIMIT:
        return refuse(f"Use 'streak rest 3d': between 1 and {REST_LIMIT} days.")
    count = int(match.group(1))
    today = local_date(now, channel.settings.zone)
    days = [today + timedelta(days=offset) for offset in range(count)]

    def work(uow: UnitOfWork) -> Reply:
        member_id = uow.members.ensure(actor)
        window = (today - REST_PERIOD + timedelta(days=count), today + REST_PERIOD)
        taken = uow.streaks.rest_count(channel.id, member_id, *window)
        if taken + count > REST_LIMIT:
            left = max(0, REST_LIMIT - taken)
            return refuse(f"You can take {REST_LIMIT} rest days per 90 days; {left} left now.")
        uow.streaks.rest(channel.id, member_id, days)
        changes = [Change(ChangeKind.REST, day) for day in days]
        state = uow.streaks.state(channel.id, member_id)
        uow.streaks.save(channel.id, member_id, state, changes, now, was=state)
        uow.commit()
        span = f"{days[0]:%a %d %b}" + (f"–{days[-1]:%a %d %b}" if len(days) > 1 else "")
        noun = "Rest days" if len(days) > 1 else "Rest day"
        return tell(
            f"{noun} {span}: they neither break nor extend your streak"
            " (an answer on one still counts)."
        )

    return await core.db.run(work)


async def repair_streak(core: Core, channel: Channel, words: Sequence[str], now: datetime) -> Reply:
    """``admin streak-repair MEMBER DAYS REASON``: set a member's streak after an outage, logged."""
    if len(words) < 3 or not (words[1].isascii() and words[1].isdigit()):
        return refuse(
            "Use 'admin streak-repair MEMBER DAYS REASON', like 'admin streak-repair bob 12 outage on 3 Dec'."
        )
    days, reason = int(words[1][:6]), " ".join(words[2:])[:200]
    if not 0 <= days <= MAX_REPAIR_DAYS:
        return refuse(f"DAYS must be between 0 and {MAX_REPAIR_DAYS}.")
    user = _user_ref(words[0])

    def work(uow: UnitOfWork) -> Reply:
        found = uow.members.named(channel.platform, channel.space_ref, user)
        if len(found) != 1:
            return refuse(
                f"No single member is called '{user[:40]}'; use their mention or user id."
            )
        member_id, name = found[0]
        today = local_date(now, channel.settings.zone)
        was = uow.streaks.state(channel.id, member_id)
        state, changes = repair(was, days, today)
        uow.streaks.save(channel.id, member_id, state, changes, now, was=was, reason=reason)
        uow.commit()
        return tell(f"{name}'s streak is now {days} days (logged: {reason}).")

    return await core.db.run(work)


def _user_ref(word: str) -> str:
    """A platform mention (``<@123>``, ``<@U123|bob>``) as a user id; anything else as typed."""
    mention = re.fullmatch(r"<@!?([A-Za-z0-9]+)(?:\|[^>]*)?>", word)
    return mention.group(1) if mention else word.lstrip("@")
