"""The fair-game invariants through the real use cases on the test database: practice cannot be
farmed, rubrics stay hidden, and the promised next drill is the next post."""

from __future__ import annotations

import itertools
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.cards import DrillCard
from bot.core.services import ondemand
from bot.core.services.answers import receive_message
from bot.core.services.commands import handle_command
from bot.core.services.votes import toggle_vote
from bot.core.streaks import replay
from drills import load_bank
from tests.core.services.helpers import drill_threads, member, place, register, reload, tick
from tests.recording_platform import RecordingPlatform
from tests.support.ranking import standings_by_rule

LONG = "I would check the error budget burn first, then roll back the canary and compare."
DAY = timedelta(days=1)
counter = itertools.count()
EVERY_REVIEW = frozenset(id_ for id_ in load_bank().drills if id_.startswith("cr-"))
fixtures_ok = settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


async def answer_in(core, who, thread, channel_ref, ref, at):  # type: ignore[no-untyped-def]
    return await receive_message(core, who, place(thread, channel_ref), ref, LONG, at)


@fixtures_ok
@given(st.lists(st.integers(0, 7 * 24 * 60 - 1), min_size=1, max_size=25))
async def test_no_amount_of_practice_outscores_the_daily_drill(core, monday_morning, minutes):
    """The farmer answers on-demand drills whenever they like; the regular answers every daily
    drill and gets one vote a day. The regular always ends the week ahead."""
    run = next(counter)
    channel_ref = f"farm-{run}"
    farmer, regular, voter = member(f"f{run}"), member(f"r{run}"), member(f"v{run}")
    await register(core, monday_morning, channel=channel_ref)
    platform, here = RecordingPlatform(), place(channel=channel_ref)
    for day in range(7):
        at = monday_morning + day * DAY + timedelta(hours=1)
        await tick(core, platform, at)
        thread = drill_threads(platform)[-1]
        receipt = await answer_in(core, regular, thread, channel_ref, f"r{run}-{day}", at)
        assert receipt is not None
        where = place(thread, channel_ref)
        await toggle_vote(core, voter, where, receipt.answer_id, at)
    for n, minute in enumerate(sorted(minutes)):
        at = monday_morning + timedelta(minutes=minute)
        reply = await handle_command(core, farmer, here, "drill", f"farm-{run}-{n}", at)
        if isinstance(reply.card, DrillCard):
            await ondemand.attach_place(core, reply.card.round_id, f"od-{run}-{n}", f"od-{run}-{n}")
            await answer_in(core, farmer, f"od-{run}-{n}", channel_ref, f"f{run}-{n}", at)
    await tick(core, platform, monday_morning + 8 * DAY)
    channel = await reload(core, channel_ref)
    week = await core.db.run(
        lambda uow: standings_by_rule(
            uow, channel, monday_morning.date(), monday_morning.date() + 6 * DAY
        )
    )
    points = {s.display_name: s.points for s in week}
    assert 2 <= points[farmer.display_name] <= 7 * 2 < points[regular.display_name]
    for who in (farmer, regular):  # the kept streak is what its audit log says
        kept, log = await core.db.run(lambda uow, w=who: _state_and_log(uow, channel.id, w))
        assert replay(log) == kept


def _state_and_log(uow, channel_id, who):  # type: ignore[no-untyped-def]
    member_id = uow.members.ensure(who)
    return uow.streaks.state(channel_id, member_id), uow.streaks.log(channel_id, member_id)


@fixtures_ok
@given(st.lists(st.tuples(st.sampled_from(["tick", "drill"]), st.integers(0, 1)), max_size=30))
async def test_rubrics_stay_hidden_until_the_round_reveals_them(core, monday_morning, steps):
    """On-demand drills are never open or next as daily drills in the space; daily drills avoid
    what was practised on demand while unpractised drills of the kind remain."""
    run = next(counter)
    refs = [f"sec-{run}-a", f"sec-{run}-b"]
    admin = member(f"admin{run}", admin_=True)
    for ref in refs:
        await register(core, monday_morning, channel=ref)
        await handle_command(
            core, admin, place(channel=ref), "admin kinds code-review", "k", monday_morning
        )
    platform, now = RecordingPlatform(), monday_morning
    for n, (step, which) in enumerate(steps):
        channel = await reload(core, refs[which])
        if step == "tick":
            practised = await core.db.run(lambda uow, c=channel: uow.rounds.on_demand_drills(c.id))
            before, now = len(platform.deliveries), now + DAY
            await tick(core, platform, now + timedelta(hours=1))
            opened = _daily_drills(platform.deliveries[before:], refs[which])
            assert all(drill not in practised or practised >= EVERY_REVIEW for drill in opened)
            continue
        reply = await handle_command(
            core, member(f"m{run}-{n % 3}"), place(channel=refs[which]), "drill", f"s{run}-{n}", now
        )
        if isinstance(reply.card, DrillCard):
            await core.db.run(
                lambda uow, d=reply.card.drill.id, c=channel: _not_in_play(uow, core, c, d)
            )


def _not_in_play(uow, core, channel, drill_id):  # type: ignore[no-untyped-def]
    from bot.core.services.rounds import next_daily_drill

    for here in uow.channels.in_space(channel.platform, channel.space_ref):
        assert drill_id not in uow.rounds.open_daily_drills(here.id)
        assert drill_id != next_daily_drill(uow, core, here)


def _daily_drills(deliveries, channel_ref):  # type: ignore[no-untyped-def]
    return [
        d.card.drill.id
        for d in deliveries
        if d.channel_ref == channel_ref and isinstance(d.card, DrillCard)
    ]


ADMIN_OPS = [
    "admin time 07:00",
    "admin time 21:30",
    "admin timezone Pacific/Auckland",
    "admin timezone America/Los_Angeles",
    "admin timezone UTC",
    "admin days mon-fri",
    "admin days mon,wed",
    "admin days daily",
    "admin skip",
    "admin unskip",
    "admin pause",
    "admin resume",
    "admin holiday 2026-11-25",
    "admin post-now",
]


@fixtures_ok
@given(st.lists(st.tuples(st.sampled_from(ADMIN_OPS), st.integers(0, 36 * 60)), max_size=8))
async def test_the_promised_next_drill_is_the_next_post(core, monday_morning, ops):
    run = next(counter)
    ref, admin = f"next-{run}", member(f"admin{run}", admin_=True)
    await register(core, monday_morning, channel=ref)
    platform, now = RecordingPlatform(), monday_morning
    for text, minutes in ops:
        now += timedelta(minutes=minutes)
        await tick(core, platform, now)
        await handle_command(core, admin, place(channel=ref), text, f"{run}-{minutes}", now)
    await tick(core, platform, now)
    channel = await reload(core, ref)
    promised = channel.next_post_at
    if channel.settings.paused or promised is None:
        return
    before = len(platform.deliveries)
    await tick(core, platform, promised - timedelta(seconds=1))
    assert _daily_drills(platform.deliveries[before:], ref) == []
    await tick(core, platform, promised)
    assert len(_daily_drills(platform.deliveries[before:], ref)) == 1
