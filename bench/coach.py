"""Coach read paths: a round's results with many reviews, and a long-standing member's profile.

Usage: python -m bench.coach [--postgres URL]
Targets: results for a round with 200 answers and 2,000 reviews in under 200 ms; ``profile`` for a
member with 2 years of daily answers (and the reviews they received and gave) in under 50 ms.

Rows are bulk-loaded with plain SQL (the set-up is not what is measured); the measured calls are
the core's own: the results post's card built and rendered, and the profile use case.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Connection, func, insert, select

from bench.common import fresh_core
from bench.pg import scratch_schema
from bot.core.cards import ResultsCard
from bot.core.model import Actor, ChannelSettings
from bot.core.render import render_text
from bot.core.scoring import top_answers
from bot.core.services import coaching, profile
from bot.core.services.context import Core
from bot.storage.repos.channels import settings_columns
from bot.storage.repos.reviews import ReviewRepo
from bot.storage.tables import answers, channels, members, reviews, rounds
from bot.storage.uow import UnitOfWork

MEMBERS = 400
ROUND_ANSWERS, ROUND_REVIEWS = 200, 2_000
HISTORY_DAYS = 730
REVIEWS_PER_ANSWER = 5
FIRST_DAY = date(2024, 12, 1)
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
READS = ("staff", "senior", "not yet")


def _load(connection: Connection, core: Core) -> None:
    created = datetime(2024, 1, 1, tzinfo=UTC)
    connection.execute(
        insert(channels),
        [
            dict(
                id=1,
                platform="b",
                space_ref="s",
                channel_ref="c",
                created_at=created,
                **settings_columns(ChannelSettings()),
            )
        ],
    )
    connection.execute(
        insert(members),
        [
            dict(id=i, platform="b", space_ref="s", user_ref=f"u{i}", display_name=f"member {i}")
            for i in range(1, MEMBERS + 1)
        ],
    )
    drills = sorted(core.bank.drills)
    rng = random.Random(11)
    for offset in range(HISTORY_DAYS + 1):
        _day(connection, rng, drills, offset)
    repo = ReviewRepo(connection)
    for answer_id in connection.execute(select(answers.c.id)).scalars().all():
        repo.refresh_coverage(answer_id)  # what saving each review through the core keeps
    connection.commit()


def _day(connection: Connection, rng: random.Random, drills: list[str], offset: int) -> None:
    """One daily round: member 1 answers every day; the last day is the big round."""
    day = FIRST_DAY + timedelta(days=offset)
    opened = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9)
    drill = drills[offset % len(drills)]
    big = offset == HISTORY_DAYS
    connection.execute(
        insert(rounds),
        [
            dict(
                id=offset + 1,
                claim_key=f"daily:1:{day}",
                channel_id=1,
                mode="daily",
                local_date=day,
                drill_id=drill,
                drill_kind=drill.split("-")[0],
                status="open" if big else "closed",
                opened_at=opened,
                closes_at=opened + timedelta(hours=24),
            )
        ],
    )
    authors = [1, *rng.sample(range(2, MEMBERS + 1), ROUND_ANSWERS - 1)] if big else [1, 2]
    first_id = offset * ROUND_ANSWERS + 1
    connection.execute(
        insert(answers),
        [
            dict(
                id=first_id + n,
                round_id=offset + 1,
                member_id=author,
                late=False,
                text=f"answer {n} " * 30,
                withdrawn=False,
                created_at=opened,
                updated_at=opened,
            )
            for n, author in enumerate(authors)
        ],
    )
    wanted = ROUND_REVIEWS if big else REVIEWS_PER_ANSWER * 2
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < wanted:
        n, reviewer = rng.randrange(len(authors)), rng.randrange(1, MEMBERS + 1)
        if reviewer != authors[n]:
            pairs.add((first_id + n, reviewer))
    connection.execute(
        insert(reviews),
        [
            dict(
                answer_id=answer_id,
                round_id=offset + 1,
                reviewer_id=reviewer,
                points=",".join(str(p) for p in sorted(rng.sample(range(1, 4), rng.randint(0, 3)))),
                read=rng.choice(READS),
                note="clear plan" if rng.random() < 0.2 else None,
                self_assessed=False,
                created_at=opened,
                updated_at=opened,
            )
            for answer_id, reviewer in sorted(pairs)
        ],
    )


def _results(uow: UnitOfWork, core: Core) -> int:
    channel, round_ = uow.channels.get(1), uow.rounds.get(HISTORY_DAYS + 1)
    assert channel is not None and round_ is not None
    tallies = uow.answers.tallies(round_.id)
    drill = core.bank.drills[round_.drill_id]
    lines = coaching.results_lines(uow, core, channel, round_, tallies)
    top = top_answers(tallies)
    card = ResultsCard(round_.id, drill, tuple(top), len(tallies), 0, reviews=lines)
    return len(render_text(card))


async def _median_ms(action, runs: int) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        await action()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples) * 1000


async def measure(url: str, label: str, **options: object) -> None:
    core = await fresh_core(url, **options)
    try:
        await core.db.run(lambda uow: _load(uow.connection, core))
        await core.db.run(lambda uow: (uow.connection.exec_driver_sql("ANALYZE"), uow.commit()))
        counts = await core.db.run(
            lambda uow: [
                uow.connection.execute(select(func.count()).select_from(t)).scalar_one()
                for t in (answers, reviews)
            ]
        )
        channel = await core.db.run(lambda uow: uow.channels.get(1))
        assert channel is not None
        me = Actor("b", "s", "u1", "member 1")
        results = await _median_ms(lambda: core.db.run(lambda uow: _results(uow, core)), 21)
        mine = await _median_ms(lambda: profile.show_profile(core, me, channel, NOW), 21)
        print(f"{label}: {counts[0]:,} answers, {counts[1]:,} reviews in the database")
        print(
            f"{label}: results of a round with {ROUND_ANSWERS} answers and {ROUND_REVIEWS:,} "
            f"reviews: median {results:.1f} ms (target < 200 ms)"
        )
        print(
            f"{label}: profile of a member with {HISTORY_DAYS + 1} days of answers: "
            f"median {mine:.1f} ms (target < 50 ms)"
        )
    finally:
        await core.db.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", help="also measure on this PostgreSQL URL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        await measure(f"sqlite:///{folder}/coach.db", "sqlite")
    if args.postgres:
        async with scratch_schema(args.postgres) as options:
            await measure(args.postgres, "postgres", **options)


if __name__ == "__main__":
    asyncio.run(main())
