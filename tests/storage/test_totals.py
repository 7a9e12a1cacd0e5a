"""Migration 0010: weekly and all-time totals equal the sums of round_scores, whether they were
backfilled by the upgrade or kept up by the trigger, and the migration goes down and up again."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest
from alembic import command
from sqlalchemy import insert, inspect, select

from bot.core.schedule import week_start
from bot.core.scoring import RoundScore
from bot.storage.migrate import alembic_config, upgrade
from bot.storage.tables import all_time_totals, members, round_scores, rounds, weekly_totals
from bot.storage.uow import Database
from tests.core.services.helpers import register

SUNDAY = date(2026, 11, 22)  # the days used straddle the week boundary


async def _downgrade(database: Database, revision: str) -> None:
    def run(connection: Any) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, revision)

    async with database.engine.begin() as connection:
        await connection.run_sync(run)


def _add_members(uow) -> None:  # type: ignore[no-untyped-def]
    people = [
        {"id": i, "platform": "t", "space_ref": "s", "user_ref": f"u{i}", "display_name": f"m{i}"}
        for i in range(101, 106)
    ]
    uow.connection.execute(insert(members), people)
    uow.commit()


def _settle_day(uow, offset: int) -> None:  # type: ignore[no-untyped-def]
    """One closed round on SUNDAY + offset, settled for three members (the app's own write)."""
    day = SUNDAY + timedelta(days=offset)
    opened = uow.channels.get(1).next_post_at
    row = {"claim_key": f"r{offset}", "channel_id": 1, "mode": "daily", "local_date": day}
    row |= {"drill_id": "d", "drill_kind": "k", "status": "closed", "opened_at": opened}
    round_id = uow.connection.execute(
        insert(rounds).returning(rounds.c.id), [row | {"closes_at": opened}]
    ).scalar_one()
    scorers = [101 + (offset + n) % 5 for n in range(3)]
    scores = [RoundScore(m, 1, offset % 4, 3 * (m % 2), reviews=offset % 2) for m in scorers]
    uow.scores.settle(round_id, 1, day, scores)
    uow.scores.settle(round_id, 1, day, [RoundScore(scorers[0], 1, 9, 9)])  # kept: the first
    uow.commit()


def _sums(uow) -> tuple[dict[Any, tuple[int, ...]], dict[Any, tuple[int, ...]]]:  # type: ignore[no-untyped-def]
    """(weekly, all time) sums of round_scores, worked out here, beside what the tables hold."""
    weekly: Counter[tuple[Any, ...]] = Counter()
    all_time: Counter[tuple[Any, ...]] = Counter()
    s = round_scores.c
    for channel, member, day, *values in uow.connection.execute(
        select(s.channel_id, s.member_id, s.local_date, s.points, s.answers, s.votes)
    ):
        for name, value in zip(("points", "answers", "votes"), values, strict=True):
            weekly[(channel, week_start(day), member, name)] += value
            all_time[(channel, member, name)] += value
    return _by_row(weekly), _by_row(all_time)


def _by_row(sums: Counter[tuple[Any, ...]]) -> dict[Any, tuple[int, ...]]:
    keys = {key[:-1] for key in sums}
    return {key: tuple(sums[(*key, n)] for n in ("points", "answers", "votes")) for key in keys}


def _totals(uow) -> tuple[dict[Any, tuple[int, ...]], dict[Any, tuple[int, ...]]]:  # type: ignore[no-untyped-def]
    w, a = weekly_totals.c, all_time_totals.c
    weekly = uow.connection.execute(
        select(w.channel_id, w.week_start, w.member_id, w.points, w.answers, w.votes)
    )
    all_time = uow.connection.execute(
        select(a.channel_id, a.member_id, a.points, a.answers, a.votes)
    )
    return (
        {tuple(r[:3]): tuple(r[3:]) for r in weekly},
        {tuple(r[:2]): tuple(r[2:]) for r in all_time},
    )


def _schema(connection: Any) -> tuple[bool, set[str]]:
    inspector = inspect(connection)
    indexes = {ix["name"] for ix in inspector.get_indexes("round_scores")}
    return inspector.has_table("weekly_totals"), indexes


async def test_totals_match_round_scores_backfilled_or_kept_up(core, monday_morning):
    await register(core, monday_morning)
    await core.db.run(_add_members)
    for offset in (-8, -1, 0):
        await core.db.run(lambda uow, n=offset: _settle_day(uow, n))
    expected = await core.db.run(_sums)
    assert await core.db.run(_totals) == expected
    assert len(expected[0]) > len(expected[1])  # members scored in more than one week

    await _downgrade(core.db, "0009")
    async with core.db.engine.connect() as connection:
        has_totals, indexes = await connection.run_sync(_schema)
    assert not has_totals
    assert "ix_round_scores_channel_id_member_id" in indexes
    for offset in (1, 6, 7):  # settled without the trigger: the upgrade must count them
        await core.db.run(lambda uow, n=offset: _settle_day(uow, n))
    await upgrade(core.db)
    assert await core.db.run(_totals) == await core.db.run(_sums)

    for offset in (2, 13):
        await core.db.run(lambda uow, n=offset: _settle_day(uow, n))
    assert await core.db.run(_totals) == await core.db.run(_sums)


async def test_postgresql_ranks_a_week_from_the_index_alone(database):
    """Migration 0011: the ranking indexes carry what a leaderboard reads beside the points, so a
    week whose rows are scattered over the table costs no heap page per member."""
    if database.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no INCLUDE; its leaderboard stays flat without one")

    def definitions(connection):  # type: ignore[no-untyped-def]
        return {
            index["name"]: index.get("include_columns")
            for table in ("weekly_totals", "all_time_totals")
            for index in inspect(connection).get_indexes(table)
        }

    async with database.engine.connect() as connection:
        found = await connection.run_sync(definitions)
    carried = ["member_id", "answers", "votes"]
    assert found["ix_weekly_totals_channel_id_week_start_points"] == carried
    assert found["ix_all_time_totals_channel_id_points"] == carried
