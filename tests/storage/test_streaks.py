"""The streak's state is kept only if it still stands as it was read: on PostgreSQL two actions of
one member can read it at the same moment, and the second write must not undo the first."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import insert

from bot.core.streaks import Change, ChangeKind, StreakState
from bot.storage.repos.streaks import StreakChanged
from bot.storage.tables import channels, members
from bot.storage.uow import Database, UnitOfWork

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
MONDAY, TUESDAY = date(2026, 11, 23), date(2026, 11, 24)


async def _member_in_channel(database: Database) -> tuple[int, int]:
    def work(uow: UnitOfWork) -> tuple[int, int]:
        channel = {"platform": "t", "space_ref": "s", "channel_ref": "c", "post_time": "09:00"}
        channel |= {"timezone": "UTC", "days": "0123456", "kinds": "", "weekly_day": 0}
        channel |= {"answer_window_minutes": 60, "weekly_time": "10:00", "created_at": NOW}
        channel |= {"paused": False}
        channel_id = uow.connection.execute(insert(channels).returning(channels.c.id), channel)
        person = {"platform": "t", "space_ref": "s", "user_ref": "u", "display_name": "u"}
        member_id = uow.connection.execute(insert(members).returning(members.c.id), person)
        ids = (int(channel_id.scalar_one()), int(member_id.scalar_one()))
        uow.commit()
        return ids

    return await database.run(work)


def _kept(channel_id: int, member_id: int):  # type: ignore[no-untyped-def]
    def work(uow: UnitOfWork) -> tuple[StreakState, list[Change]]:
        return uow.streaks.state(channel_id, member_id), uow.streaks.log(channel_id, member_id)

    return work


async def test_a_state_worked_out_from_what_no_longer_stands_is_not_kept(
    database: Database,
) -> None:
    if database.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite's writers take turns, so the state cannot change")
    channel_id, member_id = await _member_in_channel(database)
    monday = StreakState(1, 1, 0, MONDAY)
    answered = [Change(ChangeKind.ANSWERED, MONDAY)]

    def first(uow: UnitOfWork) -> None:
        uow.streaks.save(channel_id, member_id, monday, answered, NOW, was=StreakState())
        uow.commit()

    await database.run(first)

    def stale(uow: UnitOfWork) -> None:
        tuesday = [Change(ChangeKind.ANSWERED, TUESDAY)]
        new = StreakState(1, 1, 0, TUESDAY)  # worked out from no streak at all: stale
        with pytest.raises(StreakChanged):
            uow.streaks.save(channel_id, member_id, new, tuesday, NOW, was=StreakState())

    await database.run(stale, autocommit=True)  # each statement commits: nothing may be left
    assert await database.run(_kept(channel_id, member_id)) == (monday, answered)


async def test_a_state_worked_out_from_what_stands_is_kept_with_its_log(
    database: Database,
) -> None:
    channel_id, member_id = await _member_in_channel(database)
    monday = StreakState(1, 1, 0, MONDAY)
    tuesday = StreakState(2, 2, 0, TUESDAY)
    steps = [
        (StreakState(), monday, [Change(ChangeKind.ANSWERED, MONDAY)]),
        (monday, tuesday, [Change(ChangeKind.ANSWERED, TUESDAY)]),
        (tuesday, tuesday, [Change(ChangeKind.REST, date(2026, 11, 25))]),
    ]
    for was, new, changes in steps:

        def work(uow: UnitOfWork, was=was, new=new, changes=changes) -> None:  # type: ignore[no-untyped-def]
            uow.streaks.save(channel_id, member_id, new, changes, NOW, was=was, reason="r")
            uow.commit()

        await database.run(work)
    state, log = await database.run(_kept(channel_id, member_id))
    assert state == tuesday
    assert log == [change for _, _, changes in steps for change in changes]
