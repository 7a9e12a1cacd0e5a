"""The distinct schedules in use: what start-up reads instead of every channel."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time

from bot.core.model import ChannelSettings
from bot.core.schedule import wake_times
from bot.storage.uow import Database, UnitOfWork

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
TOKYO = ChannelSettings(timezone="Asia/Tokyo", post_time=time(7, 30), days=frozenset({0, 2, 4}))


async def add_channels(database: Database, settings: list[ChannelSettings]) -> None:
    def work(uow: UnitOfWork) -> None:
        for number, chosen in enumerate(settings):
            uow.channels.add("test", "space", f"chan-{number}", chosen, NOW)
        uow.commit()

    await database.run(work)


async def test_channels_sharing_a_schedule_give_it_once(database: Database) -> None:
    weekly_friday = replace(TOKYO, weekly_day=4, weekly_time=time(17, 0))
    await add_channels(database, [ChannelSettings()] * 5 + [TOKYO] * 3 + [weekly_friday])
    found = await database.run(lambda uow: uow.channels.wake_times())
    assert {wake.key for wake in found} == {
        "daily:UTC:09:00:0123456",
        "weekly:UTC:09:00:0",
        "daily:Asia/Tokyo:07:30:024",
        "weekly:Asia/Tokyo:09:00:0",
        "weekly:Asia/Tokyo:17:00:4",
    }
    expected = {wake for s in (ChannelSettings(), TOKYO, weekly_friday) for wake in wake_times(s)}
    assert found == expected


async def test_no_channels_no_schedules(database: Database) -> None:
    assert await database.run(lambda uow: uow.channels.wake_times()) == set()
