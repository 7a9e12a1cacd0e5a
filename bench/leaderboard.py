"""Weekly leaderboard latency for a 10,000-member channel as vote history grows.

Usage: python -m bench.leaderboard [--sizes 100000,1000000,10000000] [--postgres URL]
Target: at most 50 ms, and the largest history at most 1.2x the smallest (the query reads one week).

History is bulk-loaded with plain SQL (the set-up is not what is measured); the measured call is
the core's own weekly leaderboard, with the week's last round still open so live tallies count.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Connection, insert

from bench.common import fresh_core
from bench.pg import scratch_schema
from bot.core.model import Actor, ChannelSettings
from bot.core.services.standings import streak_card, weekly_card
from bot.storage.repos.channels import settings_columns
from bot.storage.tables import answers, channels, members, round_scores, rounds, votes
from bot.storage.uow import UnitOfWork

MEMBERS = 10_000
ANSWERS_PER_ROUND = 1_000  # a tenth of the channel answers each day
WEEK = date(2026, 11, 16)  # the measured week, Monday to Sunday
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def load_history(connection: Connection, total_votes: int) -> None:
    """Members, then enough past days of rounds, answers, votes and scores to reach ``total_votes``."""
    rng = random.Random(7)
    created = datetime(2024, 1, 1, tzinfo=UTC)
    connection.execute(
        insert(channels),
        [
            {
                "id": 1,
                "platform": "b",
                "space_ref": "s",
                "channel_ref": "c",
                "created_at": created,
                **settings_columns(ChannelSettings()),
            }
        ],
    )
    connection.execute(
        insert(members),
        [
            {
                "id": i,
                "platform": "b",
                "space_ref": "s",
                "user_ref": f"u{i}",
                "display_name": f"member {i}",
            }
            for i in range(1, MEMBERS + 1)
        ],
    )
    votes_per_answer = 10
    days = max(7, total_votes // (ANSWERS_PER_ROUND * votes_per_answer))
    first_day = WEEK + timedelta(days=7) - timedelta(days=days)
    vote_id = answer_id = 0
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        is_open = day == WEEK + timedelta(days=6)
        round_id = offset + 1
        opened = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9)
        connection.execute(
            insert(rounds),
            [
                {
                    "id": round_id,
                    "claim_key": f"daily:1:{day}",
                    "channel_id": 1,
                    "mode": "daily",
                    "local_date": day,
                    "drill_id": "d",
                    "drill_kind": "k",
                    "status": "open" if is_open else "closed",
                    "opened_at": opened,
                    "closes_at": opened + timedelta(hours=24),
                }
            ],
        )
        authors = rng.sample(range(1, MEMBERS + 1), ANSWERS_PER_ROUND)
        answer_rows, vote_rows, score_rows = [], [], []
        for author in authors:
            answer_id += 1
            answer_rows.append(
                {
                    "id": answer_id,
                    "round_id": round_id,
                    "member_id": author,
                    "late": False,
                    "text": "an answer",
                    "withdrawn": False,
                    "created_at": opened,
                    "updated_at": opened,
                }
            )
            voters = rng.sample(range(1, MEMBERS + 1), votes_per_answer)
            for voter in voters:
                vote_id += 1
                vote_rows.append(
                    {"id": vote_id, "answer_id": answer_id, "voter_id": voter, "cast_at": opened}
                )
            if not is_open:
                score_rows.append(
                    {
                        "round_id": round_id,
                        "channel_id": 1,
                        "member_id": author,
                        "local_date": day,
                        "answers": 1,
                        "votes": votes_per_answer,
                        "bonus": 0,
                        "points": 2 + votes_per_answer,
                    }
                )
        connection.execute(insert(answers), answer_rows)
        connection.execute(insert(votes), vote_rows)
        if score_rows:
            connection.execute(insert(round_scores), score_rows)
    connection.commit()


async def measure(
    url: str, total_votes: int, runs: int = 25, **options: object
) -> tuple[float, float, float]:
    core = await fresh_core(url, **options)
    try:
        began = time.perf_counter()
        await core.db.run(lambda uow: load_history(uow.connection, total_votes))
        # A live database has planner statistics (autovacuum); a bulk load has none until ANALYZE.
        await core.db.run(lambda uow: (uow.connection.exec_driver_sql("ANALYZE"), uow.commit()))
        load_seconds = time.perf_counter() - began
        channel = await core.db.run(lambda uow: uow.channels.get(1))
        assert channel is not None

        def board(uow: UnitOfWork) -> int:
            return len(weekly_card(uow, channel, WEEK, NOW).standings)

        samples, streaks = [], []
        member = Actor("b", "s", "u1", "member 1")
        for _ in range(runs):
            started = time.perf_counter()
            assert await core.db.run(board) == 10
            samples.append(time.perf_counter() - started)
            started = time.perf_counter()
            assert (await streak_card(core, member, channel, NOW)).ok
            streaks.append(time.perf_counter() - started)
        return statistics.median(samples) * 1000, statistics.median(streaks) * 1000, load_seconds
    finally:
        await core.db.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000,1000000,10000000")
    parser.add_argument("--postgres", help="measure on this PostgreSQL URL instead of SQLite")
    args = parser.parse_args()
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        if args.postgres:
            async with scratch_schema(args.postgres) as options:
                median, streak, load = await measure(args.postgres, size, **options)
        else:
            with tempfile.TemporaryDirectory() as folder:
                median, streak, load = await measure(f"sqlite:///{folder}/board.db", size)
        results.append(median)
        print(
            f"{'postgres' if args.postgres else 'sqlite'} {size:>11,} votes: weekly leaderboard "
            f"median {median:6.1f} ms, one member's streak {streak:5.1f} ms  "
            f"(history loaded in {load:.0f} s; load average {os.getloadavg()[0]:.1f})"
        )
    print(f"largest/smallest: {results[-1] / results[0]:.2f}x")


if __name__ == "__main__":
    asyncio.run(main())
