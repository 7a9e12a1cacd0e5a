from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select

from bot.core.cards import DrillCard, LeaderboardCard, ResultsCard
from bot.core.ports import SendFailed
from bot.core.services import admin, rounds
from bot.core.services.context import Core
from bot.core.services.sweep import next_wakeup
from bot.storage.engine import open_database
from bot.storage.tables import posts
from bot.storage.tables import rounds as rounds_table
from tests.core.services.helpers import answer, drill_threads, member, register, reload, tick
from tests.recording_platform import RecordingPlatform

POST = timedelta(hours=1)  # default post time 09:00 UTC is an hour after monday_morning


async def count(core: Core, table, *where) -> int:  # type: ignore[no-untyped-def]
    query = select(func.count()).select_from(table).where(*where)
    return await core.db.run(lambda uow: int(uow.connection.execute(query).scalar_one()))


async def test_round_opens_at_post_time_and_posts_once(core, platform, monday_morning):
    await register(core, monday_morning)
    await tick(core, platform, monday_morning + POST - timedelta(minutes=1))
    assert platform.of_type(DrillCard) == []
    await tick(core, platform, monday_morning + POST)
    await tick(core, platform, monday_morning + POST)  # the same job firing twice
    await tick(core, platform, monday_morning + POST + timedelta(seconds=30))
    assert len(platform.of_type(DrillCard)) == 1
    assert await count(core, rounds_table, rounds_table.c.mode == "daily") == 1


async def test_two_schedulers_claim_one_round(database, bank, monday_morning, database_url):
    """Two workers racing (on SQLite a second database object, as a second process would have)."""
    sqlite = database_url.startswith("sqlite")
    second_db = open_database(database_url) if sqlite else database
    first = Core(db=database, bank=bank)
    second = Core(db=second_db, bank=bank)
    await register(first, monday_morning)
    platform_a, platform_b = RecordingPlatform(), RecordingPlatform()
    at = monday_morning + POST
    try:
        await asyncio.gather(tick(first, platform_a, at), tick(second, platform_b, at))
    finally:
        if sqlite:
            await second_db.dispose()
    assert len(platform_a.of_type(DrillCard)) + len(platform_b.of_type(DrillCard)) == 1
    assert await count(first, rounds_table) == 1


async def test_crash_between_claim_and_send_sends_once_after_restart(
    core, platform, monday_morning
):
    channel = await register(core, monday_morning)
    at = monday_morning + POST
    assert (
        await rounds.open_due_rounds(core, channel, at) is not None
    )  # claimed, then the process dies
    assert platform.deliveries == []
    await tick(core, platform, at + timedelta(minutes=1))  # the restarted process
    await tick(core, platform, at + timedelta(minutes=2))
    assert len(platform.of_type(DrillCard)) == 1


async def test_crash_while_sending_waits_for_the_lease_then_sends_once(
    core, platform, monday_morning
):
    channel = await register(core, monday_morning)
    at = monday_morning + POST
    await rounds.open_due_rounds(core, channel, at)

    def lease_then_die(uow):  # type: ignore[no-untyped-def]
        job = uow.posts.due(at, 10)[0]
        assert uow.posts.lease(job.id, at, at + core.send_lease)
        uow.commit()  # leased, then the process dies before sending

    await core.db.run(lease_then_die)
    await tick(core, platform, at + timedelta(seconds=30))
    assert platform.deliveries == []
    await tick(core, platform, at + core.send_lease + timedelta(seconds=1))
    assert len(platform.of_type(DrillCard)) == 1


async def test_failed_send_keeps_the_claim_and_retries_without_duplicating(
    core, platform, monday_morning
):
    await register(core, monday_morning)
    platform.fail_next(SendFailed("HTTP 500"), SendFailed("rate limited", retry_after=90))
    at = monday_morning + POST
    await tick(core, platform, at)
    job = await core.db.run(lambda uow: uow.posts.get("drill:1"))
    assert job is not None and job.status == "pending" and job.last_error == "HTTP 500"
    await tick(core, platform, at + timedelta(seconds=16))  # first backoff is 15 s
    job = await core.db.run(lambda uow: uow.posts.get("drill:1"))
    assert job is not None and job.next_attempt_at >= at + timedelta(seconds=16 + 90)
    await tick(core, platform, at + timedelta(minutes=3))
    await tick(core, platform, at + timedelta(minutes=4))
    assert len(platform.of_type(DrillCard)) == 1
    assert await count(core, posts, posts.c.status == "sent") == 1


async def test_permanent_failure_is_recorded_with_the_admin_hint(core, platform, monday_morning):
    await register(core, monday_morning)
    platform.fail_next(
        SendFailed("missing access", permanent=True, admin_hint="Grant Send Messages.")
    )
    await tick(core, platform, monday_morning + POST)
    job = await core.db.run(lambda uow: uow.posts.get("drill:1"))
    assert job is not None and job.status == "failed"
    assert job.last_error == "missing access. Grant Send Messages."


async def test_missed_post_inside_grace_is_made_on_start_up(core, platform, monday_morning):
    await register(core, monday_morning)
    await tick(core, platform, monday_morning + POST + timedelta(minutes=90))  # grace is 2 h
    assert len(platform.of_type(DrillCard)) == 1


async def test_missed_post_beyond_grace_is_recorded_as_skipped(core, platform, monday_morning):
    await register(core, monday_morning)
    await tick(core, platform, monday_morning + POST + timedelta(hours=3))
    assert platform.of_type(DrillCard) == []
    assert await count(core, rounds_table, rounds_table.c.status == "skipped") == 1
    channel = await reload(core)
    assert channel.next_post_at == monday_morning + POST + timedelta(days=1)


async def test_days_down_skip_all_but_a_post_still_in_grace(core, platform, monday_morning):
    await register(core, monday_morning)
    await tick(core, platform, monday_morning + timedelta(days=3, hours=1, minutes=30))
    assert len(platform.of_type(DrillCard)) == 1
    assert await count(core, rounds_table, rounds_table.c.status == "skipped") == 3


async def test_round_closes_with_results_in_its_thread(core, platform, monday_morning):
    await register(core, monday_morning)
    at = monday_morning + POST
    await tick(core, platform, at)
    thread = drill_threads(platform)[0]
    await answer(core, member("bob"), thread, "m1", "Roll back first, then find the cause.", at)
    await tick(core, platform, at + timedelta(hours=24))
    results = platform.of_type(ResultsCard)
    assert len(results) == 1 and results[0].thread_ref == thread
    card = results[0].card
    assert isinstance(card, ResultsCard)
    assert [t.display_name for t in card.top] == ["bob"]
    assert card.drill.rubric and card.drill.follow_ups


async def test_kinds_rotate_and_no_drill_repeats_within_its_kind(core, platform, monday_morning):
    await register(core, monday_morning)
    for day in range(30):
        await tick(core, platform, monday_morning + POST + timedelta(days=day))
    drills = [d.card.drill for d in platform.of_type(DrillCard)]  # type: ignore[union-attr]
    assert len(drills) == 30 and len({d.id for d in drills}) == 30
    kinds = [d.kind for d in drills]
    assert len(set(kinds[:7])) >= 5  # a week already touches most kinds


async def test_pause_stops_posts_and_resume_restarts_them(core, platform, monday_morning):
    channel = await register(core, monday_morning)
    await admin.set_paused(core, channel, True, monday_morning)
    for day in range(3):
        await tick(core, platform, monday_morning + POST + timedelta(days=day))
    assert platform.of_type(DrillCard) == []
    at = monday_morning + timedelta(days=3)
    await admin.set_paused(core, await reload(core), False, at)
    await tick(core, platform, at + POST)
    assert len(platform.of_type(DrillCard)) == 1


async def test_skip_and_post_now(core, platform, monday_morning):
    channel = await register(core, monday_morning)
    skipped = await admin.skip(core, channel, monday_morning)
    assert skipped.ok
    await tick(core, platform, monday_morning + POST)
    assert platform.of_type(DrillCard) == []
    tuesday = monday_morning + timedelta(days=1)
    assert (await admin.post_now(core, await reload(core), tuesday)).ok
    refused = await admin.post_now(core, await reload(core), tuesday)
    assert not refused.ok
    await tick(core, platform, tuesday)
    await tick(core, platform, tuesday + POST)  # Tuesday's scheduled post finds the day claimed
    assert len(platform.of_type(DrillCard)) == 1


async def test_weekly_leaderboard_posts_once_for_the_past_week(core, platform, monday_morning):
    await register(core, monday_morning)
    at = monday_morning + POST
    await tick(core, platform, at)
    await answer(
        core, member("bob"), drill_threads(platform)[0], "m1", "An answer with substance.", at
    )
    next_monday = at + timedelta(days=7)
    await tick(core, platform, next_monday)
    await tick(core, platform, next_monday)
    boards = platform.of_type(LeaderboardCard)
    assert len(boards) == 1
    card = boards[0].card
    assert isinstance(card, LeaderboardCard)
    assert (card.first.isoformat(), card.last.isoformat()) == ("2026-11-23", "2026-11-29")  # type: ignore[union-attr]
    assert [(s.display_name, s.points) for s in card.standings] == [("bob", 2)]


async def test_next_wakeup_is_the_earliest_due_moment(core, platform, monday_morning):
    assert await next_wakeup(core) is None
    await register(core, monday_morning)
    assert await next_wakeup(core) == monday_morning + POST


async def test_skip_after_post_now_skips_the_next_day_not_today(core, platform, monday_morning):
    channel = await register(core, monday_morning)
    assert (await admin.post_now(core, channel, monday_morning)).ok
    reply = await admin.skip(core, await reload(core), monday_morning)
    assert "Tue 24 Nov" in reply.card.text  # type: ignore[union-attr]
    for day in range(3):
        await tick(core, platform, monday_morning + timedelta(days=day, hours=1))
    drills = platform.of_type(DrillCard)
    assert len(drills) == 2  # Monday (posted now) and Wednesday; Tuesday skipped
