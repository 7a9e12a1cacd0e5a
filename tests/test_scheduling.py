from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.core.cards import DrillCard
from bot.core.schedule import next_post_after
from bot.core.services.commands import handle_command
from bot.scheduling import DrillScheduler, daily_trigger
from bot.storage.repos.channels import ChannelRepo
from tests.core.services.helpers import PLATFORM, member, place, register, reload
from tests.recording_platform import RecordingPlatform


async def wait_for(predicate, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def admin_says(core, channel, text, now):  # type: ignore[no-untyped-def]
    where = place(channel=channel.channel_ref)
    reply = await handle_command(core, member("alice", admin_=True), where, text, "req", now)
    assert reply.ok, reply


async def test_channels_with_one_schedule_share_cron_jobs(core, monday_morning):
    for number in range(5):
        await register(core, monday_morning, channel=f"chan-{number}")
    scheduler = DrillScheduler(core, {}, clock=lambda: monday_morning)
    await scheduler.start()
    try:
        assert sorted(job.id for job in scheduler.scheduler.get_jobs()) == [
            "daily:UTC:09:00:0123456",
            "sweep",
            "weekly:UTC:09:00:0",
        ]
        channel = await reload(core, "chan-0")
        await admin_says(core, channel, "admin timezone Pacific/Tongatapu", monday_morning)
        ids = {job.id for job in scheduler.scheduler.get_jobs()}
        assert "daily:Pacific/Tongatapu:09:00:0123456" in ids and "daily:UTC:09:00:0123456" in ids
    finally:
        await scheduler.stop()


def job_ids(scheduler: DrillScheduler) -> set[str]:
    return {job.id for job in scheduler.scheduler.get_jobs()}


async def test_a_job_no_channel_uses_is_removed(core, monday_morning):
    channel = await register(core, monday_morning)
    scheduler = DrillScheduler(core, {}, clock=lambda: monday_morning)
    await scheduler.start()
    try:
        await admin_says(core, channel, "admin time 07:45", monday_morning)
        assert "daily:UTC:07:45:0123456" in job_ids(scheduler)  # at once, before any prune
        await wait_for(lambda: "daily:UTC:09:00:0123456" not in job_ids(scheduler))
    finally:
        await scheduler.stop()


async def prunes_done() -> None:
    await wait_for(lambda: all(t.get_name() != "drillbot-prune-jobs" for t in asyncio.all_tasks()))


async def test_a_job_another_channel_still_uses_stays(core, monday_morning):
    for name in ("chan-0", "chan-1"):
        await register(core, monday_morning, channel=name)
    scheduler = DrillScheduler(core, {}, clock=lambda: monday_morning)
    await scheduler.start()
    try:
        await admin_says(core, await reload(core, "chan-0"), "admin time 07:45", monday_morning)
        await prunes_done()
        assert {"daily:UTC:07:45:0123456", "daily:UTC:09:00:0123456"} <= job_ids(scheduler)
        await admin_says(core, await reload(core, "chan-1"), "admin time 07:45", monday_morning)
        await prunes_done()
        assert {i for i in job_ids(scheduler) if i.startswith("daily:")} == {
            "daily:UTC:07:45:0123456"
        }
    finally:
        await scheduler.stop()


async def test_start_up_reads_the_schedules_not_every_channel(core, monday_morning, monkeypatch):
    for number in range(3):
        await register(core, monday_morning, channel=f"chan-{number}")

    def every_channel(self):  # type: ignore[no-untyped-def]
        raise AssertionError("start-up loaded every channel")

    monkeypatch.setattr(ChannelRepo, "all", every_channel)
    monkeypatch.setattr(ChannelRepo, "get", every_channel)
    scheduler = DrillScheduler(core, {}, clock=lambda: monday_morning)
    await scheduler.start()
    try:
        assert job_ids(scheduler) == {"sweep", "daily:UTC:09:00:0123456", "weekly:UTC:09:00:0"}
    finally:
        await scheduler.stop()


async def test_many_channels_on_one_schedule_get_one_job_and_one_drill_each(core, monday_morning):
    names = [f"chan-{number}" for number in range(30)]
    for name in names:
        await register(core, monday_morning, channel=name)
    platform = RecordingPlatform(name=PLATFORM)
    now = [monday_morning]
    scheduler = DrillScheduler(core, {PLATFORM: platform}, clock=lambda: now[0])
    await scheduler.start()
    try:
        assert job_ids(scheduler) == {"sweep", "daily:UTC:09:00:0123456", "weekly:UTC:09:00:0"}
        now[0] = monday_morning + timedelta(hours=1)
        cron = scheduler.scheduler.get_job("daily:UTC:09:00:0123456")
        for wake in (cron.func, cron.func, scheduler.poke):  # the job firing twice, then a sweep
            runs = scheduler.runs
            wake()
            await wait_for(lambda: scheduler.runs > runs)  # noqa: B023
        await wait_for(lambda: len(platform.of_type(DrillCard)) >= len(names))
        posted = sorted(d.channel_ref for d in platform.of_type(DrillCard))
        assert posted == sorted(names)
    finally:
        await scheduler.stop()


async def test_cron_trigger_fires_at_the_domain_post_instant(core, monday_morning):
    await register(core, monday_morning)
    await admin_says(core, await reload(core), "admin timezone America/New_York", monday_morning)
    channel = await reload(core)
    trigger = daily_trigger(channel)
    fire = trigger.get_next_fire_time(None, monday_morning)
    assert fire == next_post_after(channel.settings, monday_morning)


async def test_a_poke_runs_due_work_and_a_second_poke_posts_nothing_new(core, monday_morning):
    await register(core, monday_morning)
    now = [monday_morning + timedelta(hours=1)]
    platform = RecordingPlatform(name=PLATFORM)
    scheduler = DrillScheduler(core, {PLATFORM: platform}, clock=lambda: now[0])
    await scheduler.start()  # start-up catches up at once
    try:
        await wait_for(lambda: len(platform.of_type(DrillCard)) == 1)
        scheduler.poke()
        scheduler.poke()
        await wait_for(lambda: scheduler.runs >= 2)
        assert len(platform.of_type(DrillCard)) == 1
    finally:
        await scheduler.stop()
