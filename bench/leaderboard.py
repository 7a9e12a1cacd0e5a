"""The weekly leaderboard and one member's personal queries as a channel's vote history grows.

Usage: python -m bench.leaderboard [--sizes 100000,1000000,10000000] [--postgres URL]
                                   [--keep DIR] [--runs 11]

Targets (issue 14, part 4), on SQLite and PostgreSQL: the weekly leaderboard of a 10,000-member
channel at most 50 ms and at most 1.2x slower at 10 M votes than at 100 k; ``streak``,
``leaderboard``, App Home and ``profile`` at most 10 ms each at 10 M votes, for a member who answers
now and then (a daily regular's profile, which sums every answer they gave, is printed beside).

History is generated inside the database (``bench.history``); what is measured is the core's own
service functions, called as the commands and the weekly post call them: each figure is the median
of ``--runs`` calls, the calls interleaved and the sizes side by side (one call at each size in
turn), so that a change in the machine's load hits them all alike. SQLite always; PostgreSQL too
with ``--postgres``. With ``--keep`` the generated databases (SQLite files in DIR, PostgreSQL
schemas ``bench_<DIR's name>_<size>``) are kept and reused by later runs, which upgrade them to
the newest migration first.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

from sqlalchemy import text

from bench.common import fresh_core
from bench.history import NOW, WEEK, load_history
from bench.pg import kept_schema, scratch_schema
from bot.core.model import Actor, Channel
from bot.core.services import home, profile, standings, stats_cards
from bot.core.services.context import Core
from bot.storage.uow import UnitOfWork

MEMBER = Actor("b", "s", "u5000", "member 5000")  # answers about one day in fourteen
REGULAR = Actor("b", "s", "u1", "member 1")  # answers every day: the longest personal history
Call = Callable[[Core, Channel], Awaitable[object]]


async def weekly_post(core: Core, channel: Channel) -> object:
    """What the outbox renders for the weekly post (``outgoing``), ranking 10,000 members."""
    return await core.db.run(lambda uow: standings.weekly_card(uow, channel, WEEK, NOW))


async def streak_figures(core: Core, channel: Channel) -> object:
    """``streak card``'s figures (the picture drawn from them is not a query)."""

    def work(uow: UnitOfWork) -> object:
        member_id = uow.members.ensure(MEMBER)
        return stats_cards.stats_figures(uow, channel, member_id, MEMBER.display_name, NOW, core)

    return await core.db.run(work)


CALLS: dict[str, tuple[Call, float | None]] = {  # name: (call, target in ms)
    "weekly leaderboard post": (weekly_post, 50.0),
    "/drill streak": (lambda core, ch: standings.streak_card(core, MEMBER, ch, NOW), 10.0),
    "/drill leaderboard": (lambda core, ch: standings.leaderboard(core, ch, False, NOW), 10.0),
    "/drill leaderboard all-time": (
        lambda core, ch: standings.leaderboard(core, ch, True, NOW),
        None,
    ),
    "App Home": (lambda core, ch: home.home_summary(core, MEMBER, NOW), 10.0),
    "/drill profile": (lambda core, ch: profile.show_profile(core, MEMBER, ch, NOW), 10.0),
    "/drill profile, daily regular": (
        lambda core, ch: profile.show_profile(core, REGULAR, ch, NOW),
        None,
    ),
    "streak card figures": (streak_figures, None),
}


async def measure(cores: list[Core], runs: int) -> list[dict[str, float]]:
    """Median milliseconds per call and history size, the calls and the sizes interleaved so a
    change in the machine's load hits them all alike."""
    channels = [await core.db.run(lambda uow: uow.channels.get(1)) for core in cores]
    samples: list[dict[str, list[float]]] = [{name: [] for name in CALLS} for _ in cores]
    for _ in range(runs):
        for core, channel, found in zip(cores, channels, samples, strict=True):
            assert channel is not None
            for name, (call, _target) in CALLS.items():
                began = time.perf_counter()
                await call(core, channel)
                found[name].append(time.perf_counter() - began)
    return [{name: statistics.median(xs) * 1000 for name, xs in found.items()} for found in samples]


async def ensure_history(core: Core, size: int) -> float:
    """Generate the history unless a kept database already holds it; seconds spent loading."""
    if await core.db.run(lambda uow: uow.channels.get(1)) is not None:
        return 0.0
    began = time.perf_counter()
    await core.db.run(lambda uow: load_history(uow.connection, size, core.bank))
    await refresh_statistics(core)
    return time.perf_counter() - began


async def refresh_statistics(core: Core) -> None:
    """What autovacuum does on a live PostgreSQL after a bulk load: statistics and a visibility
    map. SQLite gets nothing: Drillbot never runs ANALYZE there, so the bench does not either."""
    if core.db.engine.dialect.name != "postgresql":
        return
    async with core.db.engine.connect() as connection:
        connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await connection.execute(text("VACUUM ANALYZE"))


@asynccontextmanager
async def history_core(database: str, size: int, keep: Path | None) -> AsyncIterator[Core]:
    if database != "sqlite":
        schema = (
            kept_schema(database, _schema_name(keep, size)) if keep else scratch_schema(database)
        )
        async with schema as options, _disposed(await fresh_core(database, **options)) as core:
            yield core
        return
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite:///{keep or Path(scratch)}/leaderboard-{size}.db"
        async with _disposed(await fresh_core(url)) as core:
            yield core


@asynccontextmanager
async def _disposed(core: Core) -> AsyncIterator[Core]:
    try:
        yield core
    finally:
        await core.db.dispose()


def _schema_name(keep: Path, size: int) -> str:
    return re.sub(r"[^a-z0-9_]", "_", f"bench_{keep.name}_{size}".lower())


async def run_database(database: str, sizes: list[int], args: argparse.Namespace) -> None:
    """Every size's history open at once, then measured side by side."""
    label = "sqlite" if database == "sqlite" else "postgres"
    async with AsyncExitStack() as stack:
        cores = [
            await stack.enter_async_context(history_core(database, size, args.keep))
            for size in sizes
        ]
        for size, core in zip(sizes, cores, strict=True):
            loaded = await ensure_history(core, size)
            made = f"history generated in {loaded:.0f} s" if loaded else "kept history reused"
            print(f"{label} {size:>11,} votes: {made}")
        results = await measure(cores, args.runs)
    report(label, sizes, results)


def report(label: str, sizes: list[int], results: list[dict[str, float]]) -> None:
    """One line per call: the median at each size, the growth and the target."""
    head = "".join(f"{size:>12,}" for size in sizes)
    print(f"\n{label}: median ms by historical votes (load average {os.getloadavg()[0]:.2f})")
    print(f"    {'':<31}{head}   largest/smallest  target")
    for name, (_call, target) in CALLS.items():
        cells = "".join(f"{found[name]:12.2f}" for found in results)
        growth = results[-1][name] / results[0][name]
        goal = f"<= {target:.0f} ms" if target else "-"
        print(f"    {name:<31}{cells}   {growth:15.2f}x  {goal}")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000,1000000,10000000")
    parser.add_argument("--postgres", help="PostgreSQL URL: measure there too")
    parser.add_argument("--keep", type=Path, help="keep generated databases (SQLite files here)")
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    for database in ["sqlite", *([args.postgres] if args.postgres else [])]:
        await run_database(database, sizes, args)


if __name__ == "__main__":
    asyncio.run(main())
