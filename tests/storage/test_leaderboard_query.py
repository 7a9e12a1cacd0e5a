"""The leaderboard query, which ranks running totals and live tallies, ranks exactly like
``tests.support.ranking`` sorting every member's sums of round scores and live votes."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import insert, update

from bot.core.scoring import ANSWER_POINTS, VOTE_POINTS
from bot.storage.repos.channels import settings_columns
from bot.storage.tables import answers, channels, members, round_scores, rounds, votes
from tests.core.services.helpers import register
from tests.support.ranking import rank, standings_by_rule

MONDAY = date(2026, 11, 23)
NAMES = ["ann", "Bob", "bob", "cat", "Dee"]


def fill(uow, rng: random.Random) -> None:  # type: ignore[no-untyped-def]
    """Three weeks of settled scores with many ties (a week before, this week, a week after),
    live answers and votes in open daily rounds of this week and the week before, and what must
    not count: late and withdrawn answers, an open on-demand round, another channel's scores."""
    people = [
        {"id": i, "platform": "test", "space_ref": "s", "user_ref": f"u{i}"}
        | {"display_name": rng.choice(NAMES) + str(i % 3)}
        for i in range(1, 41)
    ]
    uow.connection.execute(insert(members), people)
    other = {"id": 2, "platform": "test", "space_ref": "s", "channel_ref": "other"}
    settings = settings_columns(uow.channels.get(1).settings)
    uow.connection.execute(insert(channels), [other | settings | {"created_at": _opened(uow)}])
    ids = [p["id"] for p in people]
    for offset in range(-7, 14, 2):
        _settled_day(uow, rng, 1, MONDAY + timedelta(days=offset), ids)
        _settled_day(uow, rng, 2, MONDAY + timedelta(days=offset), ids)
    for day in (MONDAY + timedelta(days=4), MONDAY - timedelta(days=2)):
        _open_round(uow, rng, "daily", day, ids)
    _open_round(uow, rng, "on_demand", MONDAY + timedelta(days=4), ids)
    uow.commit()


def _opened(uow):  # type: ignore[no-untyped-def]
    return uow.channels.get(1).next_post_at


def _settled_day(uow, rng, channel_id, day, ids) -> None:  # type: ignore[no-untyped-def]
    round_id = _round(uow, channel_id, "daily", day, "closed")
    rows = []
    for member_id in rng.sample(ids, 15):
        v, bonus = rng.randint(0, 3), rng.choice([0, 0, 3])
        rows.append(
            {"round_id": round_id, "channel_id": channel_id, "member_id": member_id}
            | {"local_date": day, "answers": 1, "votes": v, "bonus": bonus}
            | {"points": ANSWER_POINTS + v * VOTE_POINTS + bonus}
        )
    uow.connection.execute(insert(round_scores), rows)


def _round(uow, channel_id, mode, day, status) -> int:  # type: ignore[no-untyped-def]
    opened = _opened(uow)
    row = {"claim_key": f"{channel_id}:{mode}:{day}", "channel_id": channel_id, "mode": mode}
    row |= {"local_date": day, "drill_id": "d", "drill_kind": "k", "status": status}
    row |= {"opened_at": opened, "closes_at": opened + timedelta(days=9)}
    return int(uow.connection.execute(insert(rounds).returning(rounds.c.id), [row]).scalar_one())


def _open_round(uow, rng, mode, day, ids) -> None:  # type: ignore[no-untyped-def]
    round_id, opened = _round(uow, 1, mode, day, "open"), _opened(uow)
    for member_id in rng.sample(ids, 15):
        late = rng.random() < 0.15
        answer_id, _ = uow.answers.create(round_id, member_id, late, "text", opened)
        if rng.random() < 0.15:
            uow.connection.execute(
                update(answers).where(answers.c.id == answer_id).values(withdrawn=True)
            )
        voters = rng.sample([i for i in ids if i != member_id], rng.randint(0, 3))
        rows = [{"answer_id": answer_id, "voter_id": v, "cast_at": opened} for v in voters]
        if rows:
            uow.connection.execute(insert(votes), rows)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("limit", [1, 10, 60])
@pytest.mark.parametrize("week", [MONDAY - timedelta(days=7), MONDAY, None], ids=str)
async def test_sql_ranking_matches_the_rule(core, monday_morning, seed, limit, week):
    channel = await register(core, monday_morning)
    await core.db.run(lambda uow: fill(uow, random.Random(seed)))
    last = week + timedelta(days=6) if week else None

    def both(uow):  # type: ignore[no-untyped-def]
        by_sql = uow.scores.top(channel.id, week, limit, ANSWER_POINTS, VOTE_POINTS)
        by_rule = rank(standings_by_rule(uow, channel, week, last), limit)
        return by_sql, by_rule

    by_sql, by_rule = await core.db.run(both)
    assert by_sql == by_rule
    assert by_sql


async def test_a_week_nobody_scored_in_has_no_leaderboard(core, monday_morning):
    channel = await register(core, monday_morning)
    await core.db.run(lambda uow: fill(uow, random.Random(0)))
    empty = MONDAY + timedelta(days=21)
    found = await core.db.run(
        lambda uow: uow.scores.top(channel.id, empty, 10, ANSWER_POINTS, VOTE_POINTS)
    )
    assert found == []


@pytest.mark.parametrize("seed", range(2))
async def test_one_members_points_match_the_rule(core, monday_morning, seed):
    """What ``streak`` and App Home show: the member's own row of the plain sums, or 0."""
    channel = await register(core, monday_morning)
    await core.db.run(lambda uow: fill(uow, random.Random(seed)))

    def both(uow, week):  # type: ignore[no-untyped-def]
        days = (week, week + timedelta(days=6))
        by_rule = {s.member_id: s.points for s in standings_by_rule(uow, channel, *days)}
        by_sql = {
            m: uow.scores.member_points(channel.id, m, days, ANSWER_POINTS, VOTE_POINTS)
            for m in range(1, 41)
        }
        return by_sql, {m: by_rule.get(m, 0) for m in range(1, 41)}

    for week in (MONDAY - timedelta(days=7), MONDAY):
        by_sql, by_rule = await core.db.run(lambda uow, w=week: both(uow, w))
        assert by_sql == by_rule
        assert any(by_sql.values())
