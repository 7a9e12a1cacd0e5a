"""The leaderboard query ranks exactly like ``tests.support.ranking.rank`` over the same standings."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import insert

from bot.core.scoring import ANSWER_POINTS, VOTE_POINTS
from bot.core.services.standings import period_standings
from bot.storage.tables import members, round_scores, rounds, votes
from tests.core.services.helpers import register
from tests.support.ranking import rank

MONDAY = date(2026, 11, 23)


def fill(uow, rng: random.Random) -> None:  # type: ignore[no-untyped-def]
    """Settled scores with many ties, and one open round with live answers and votes."""
    people = [
        {
            "id": i,
            "platform": "test",
            "space_ref": "s",
            "user_ref": f"u{i}",
            "display_name": rng.choice(["ann", "Bob", "bob", "cat", "Dee"]) + str(i % 3),
        }
        for i in range(1, 41)
    ]
    uow.connection.execute(insert(members), people)
    opened = uow.channels.get(1).next_post_at
    for day in range(5):
        status = "open" if day == 4 else "closed"
        uow.connection.execute(
            insert(rounds),
            [
                {
                    "id": day + 1,
                    "claim_key": f"k{day}",
                    "channel_id": 1,
                    "mode": "daily",
                    "local_date": MONDAY + timedelta(days=day),
                    "drill_id": "d",
                    "drill_kind": "k",
                    "status": status,
                    "opened_at": opened,
                    "closes_at": opened + timedelta(days=9),
                }
            ],
        )
        for person in rng.sample(people, 15):
            if status == "closed":
                row = {
                    "round_id": day + 1,
                    "channel_id": 1,
                    "member_id": person["id"],
                    "local_date": MONDAY + timedelta(days=day),
                    "answers": 1,
                    "votes": (v := rng.randint(0, 3)),
                    "bonus": 0,
                    "points": 2 + v,
                }
                uow.connection.execute(insert(round_scores), [row])
            else:
                answer_id = uow.answers.create(day + 1, person["id"], False, "text", opened)
                voters = rng.sample(
                    [p["id"] for p in people if p["id"] != person["id"]], rng.randint(0, 3)
                )
                for voter in voters:
                    uow.connection.execute(
                        insert(votes),
                        [{"answer_id": answer_id, "voter_id": voter, "cast_at": opened}],
                    )
    uow.commit()


@pytest.mark.parametrize("seed", range(4))
async def test_sql_ranking_matches_the_rule(core, monday_morning, seed):
    channel = await register(core, monday_morning)
    await core.db.run(lambda uow: fill(uow, random.Random(seed)))

    def both(uow):  # type: ignore[no-untyped-def]
        sunday = MONDAY + timedelta(days=6)
        by_sql = uow.scores.top(channel.id, MONDAY, sunday, 10, ANSWER_POINTS, VOTE_POINTS)
        by_rule = rank(period_standings(uow, channel, MONDAY, sunday), 10)
        return by_sql, by_rule

    by_sql, by_rule = await core.db.run(both)
    assert by_sql == by_rule and len(by_sql) == 10
