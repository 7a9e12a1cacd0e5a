from __future__ import annotations

from datetime import timedelta

from bot.core.cards import DrillCard, LeaderboardCard, StreakCard
from bot.core.services import commands, standings
from bot.core.services.votes import toggle_vote
from tests.core.services.helpers import answer, drill_threads, member, place, register, reload, tick

POST = timedelta(hours=1)


async def test_points_votes_and_a_shared_bonus_for_tied_top_answers(core, platform, monday_morning):
    await register(core, monday_morning)
    at = monday_morning + POST
    await tick(core, platform, at)
    thread = drill_threads(platform)[0]
    bob = await answer(core, member("bob"), thread, "m1", "bob's answer", at)
    carol = await answer(core, member("carol"), thread, "m2", "carol's answer", at)
    dave = await answer(core, member("dave"), thread, "m3", "dave's answer", at)
    assert bob and carol and dave
    await toggle_vote(core, member("erin"), place(), bob.answer_id, at)
    await toggle_vote(core, member("erin"), place(), carol.answer_id, at)
    await tick(core, platform, at + timedelta(hours=24))
    reply = await standings.leaderboard(core, await reload(core), False, at + timedelta(hours=25))
    assert isinstance(reply.card, LeaderboardCard)
    board = [(s.display_name, s.points, s.votes) for s in reply.card.standings]
    assert board == [("bob", 6, 1), ("carol", 6, 1), ("dave", 2, 0)]


async def test_open_rounds_count_live_without_the_bonus(core, platform, monday_morning):
    await register(core, monday_morning)
    at = monday_morning + POST
    await tick(core, platform, at)
    bob = await answer(core, member("bob"), drill_threads(platform)[0], "m1", "bob's answer", at)
    assert bob
    await toggle_vote(core, member("erin"), place(), bob.answer_id, at)
    reply = await standings.streak_card(core, member("bob"), await reload(core), at)
    assert isinstance(reply.card, StreakCard)
    assert (reply.card.current, reply.card.points_this_week) == (1, 3)


async def test_on_demand_drill_counts_for_streak_and_participation_only(
    core, platform, monday_morning
):
    await register(core, monday_morning)
    reply = await commands.handle_command(
        core, member("bob"), place(), "drill live-debugging", "req-1", monday_morning
    )
    assert (
        isinstance(reply.card, DrillCard)
        and reply.card.drill.kind == "live-debugging"
        and reply.private
    )
    again = await commands.handle_command(
        core, member("bob"), place(), "drill live-debugging", "req-1", monday_morning
    )
    assert (
        isinstance(again.card, DrillCard) and again.card.round_id == reply.card.round_id
    )  # a retried request
    from bot.core.services.ondemand import attach_place

    await attach_place(core, reply.card.round_id, "od-msg", "od-thread")
    await tick(core, platform, monday_morning + timedelta(hours=1))  # today becomes a drill day
    at = monday_morning + timedelta(hours=2)
    stranger = await answer(core, member("carol"), "od-thread", "c1", "not mine to answer", at)
    receipt = await answer(core, member("bob"), "od-thread", "b1", "my practice answer", at)
    assert stranger is None
    assert receipt is not None and receipt.reveal is not None and receipt.reveal.drill.rubric
    refused = await toggle_vote(core, member("carol"), place(), receipt.answer_id, at)
    assert not refused.ok
    card = (await standings.streak_card(core, member("bob"), await reload(core), at)).card
    assert isinstance(card, StreakCard) and (card.current, card.points_this_week) == (1, 2)


async def test_on_demand_avoids_drills_the_member_already_had(core, platform, monday_morning):
    await register(core, monday_morning)
    seen = set()
    for number in range(5):
        reply = await commands.handle_command(
            core, member("bob"), place(), "drill design-warmup", f"r{number}", monday_morning
        )
        assert isinstance(reply.card, DrillCard)
        seen.add(reply.card.drill.id)
    assert len(seen) == 5


async def test_one_members_points_match_the_whole_channels_standings(
    core, platform, monday_morning
):
    """``streak`` reads one member's rows; the figure must be the one the leaderboard shows."""
    from bot.core.schedule import current_week
    from bot.core.scoring import ANSWER_POINTS, VOTE_POINTS
    from tests.support.ranking import standings_by_rule

    channel = await register(core, monday_morning)
    names = ["bob", "carol", "dave", "erin"]
    at = monday_morning + POST
    for day in range(3):  # two closed rounds (settled, bonus) and one still open (live)
        now = at + timedelta(days=day)
        await tick(core, platform, now)
        thread = drill_threads(platform)[day]
        ids = [
            await answer(core, member(n), thread, f"m{day}{n}", f"{n} says", now)
            for n in names[day:]
        ]
        for voter, target in zip(names, reversed(ids), strict=False):
            if target is not None:
                await toggle_vote(core, member(voter), place(), target.answer_id, now)
    now = at + timedelta(days=2, hours=1)
    week = current_week(now, channel.settings.zone)

    def both(uow):  # type: ignore[no-untyped-def]
        table = {s.member_id: s.points for s in standings_by_rule(uow, channel, *week)}
        one = {
            m: uow.scores.member_points(channel.id, m, week, ANSWER_POINTS, VOTE_POINTS)
            for m in table
        }
        return table, one

    table, one = await core.db.run(both)
    assert table == one and len(table) == 4 and sum(table.values()) > 0
