"""Answers and votes recorded per second through the core, beside the raw driver's insert+commit rate.

Usage: python -m bench.events [--events 4000] [--postgres URL]
Targets (issue 2): >= 2,000 events/s on SQLite and >= 30 % of the raw aiosqlite rate.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import aiosqlite
import asyncpg

from bench.common import START, fresh_core, member, register
from bench.pg import scratch_schema
from bot.core.model import Place
from bot.core.services import answers, votes
from bot.core.services.sweep import run_due_work
from tests.recording_platform import RecordingPlatform


async def raw_sqlite_rate(path: Path, seconds: float = 2.0) -> float:
    async with aiosqlite.connect(path) as db:
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=5000"):
            await db.execute(f"PRAGMA {pragma}")
        await db.execute("CREATE TABLE raw (id INTEGER PRIMARY KEY, a INTEGER, b TEXT)")
        return await _loop(lambda n: _sqlite_insert(db, n), seconds)


async def _sqlite_insert(db: aiosqlite.Connection, n: int) -> None:
    await db.execute("INSERT INTO raw (a, b) VALUES (?, ?)", (n, "x" * 40))
    await db.commit()


async def raw_postgres_rate(url: str, seconds: float = 2.0, temp: bool = False) -> float:
    """asyncpg inserting one row per transaction into a logged table (every commit is flushed to
    the WAL, as the bot's are) or, with ``temp``, into a TEMP table (never flushed: flattering)."""
    connection = await asyncpg.connect(url.replace("+asyncpg", ""))
    table = f"raw_{'temp' if temp else 'logged'}_{os.getpid()}"
    kind = "TEMP TABLE" if temp else "TABLE"
    try:
        await connection.execute(f"CREATE {kind} {table} (id serial PRIMARY KEY, a int, b text)")
        return await _loop(
            lambda n: connection.execute(
                f"INSERT INTO {table} (a, b) VALUES ($1, $2)", n, "x" * 40
            ),
            seconds,
        )
    finally:
        if not temp:
            await connection.execute(f"DROP TABLE {table}")
        await connection.close()


async def _loop(step, seconds: float) -> float:  # type: ignore[no-untyped-def]
    count, began = 0, time.perf_counter()
    while time.perf_counter() - began < seconds:
        await step(count)
        count += 1
    return count / (time.perf_counter() - began)


async def core_rate(url: str, events: int, **options: object) -> float:
    core = await fresh_core(url, **options)
    try:
        await register(core)
        at = START + timedelta(hours=1)
        platform = RecordingPlatform(name="bench")
        await run_due_work(core, {"bench": platform}, at)
        thread = "thread-1"
        half = events // 2
        began = time.perf_counter()
        for n in range(half):
            await answers.receive_message(
                core,
                member(n),
                Place("bench", "space", "channel", thread),
                f"m{n}",
                f"answer {n}",
                at,
            )
        for n in range(half):
            where = Place("bench", "space", "channel", thread)
            await votes.toggle_vote(core, member(n + 1), where, (n % half) + 1, at, f"click-{n}")
        return events / (time.perf_counter() - began)
    finally:
        await core.db.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=4000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--postgres", help="also measure on this PostgreSQL URL (a scratch database)"
    )
    args = parser.parse_args()
    raws, cores = [], []
    for _ in range(args.runs):  # anchor and core alternate, so noise hits both
        with tempfile.TemporaryDirectory() as folder:
            raws.append(await raw_sqlite_rate(Path(folder) / "raw.db"))
            cores.append(await core_rate(f"sqlite:///{folder}/core.db", args.events))
    raw, core = statistics.median(raws), statistics.median(cores)
    print(f"load average {os.getloadavg()[0]:.1f}; medians of {args.runs} runs")
    print(
        f"sqlite   raw aiosqlite insert+commit {raw:7.0f}/s   core {core:6.0f}/s   {core / raw:.0%}"
    )
    if args.postgres:
        await _postgres(args.postgres, args.events, args.runs)


async def _postgres(url: str, events: int, runs: int) -> None:
    logged, temp, cores = [], [], []
    for _ in range(runs):
        logged.append(await raw_postgres_rate(url))
        temp.append(await raw_postgres_rate(url, temp=True))
        cores.append(await _postgres_core(url, events))
    raw, core = statistics.median(logged), statistics.median(cores)
    print(
        f"postgres raw asyncpg insert+commit {raw:7.0f}/s (TEMP table {statistics.median(temp):.0f}/s)"
        f"   core {core:6.0f}/s   {core / raw:.0%} of the logged table"
    )


async def _postgres_core(url: str, events: int) -> float:
    async with scratch_schema(url) as options:
        return await core_rate(url, events, **options)


if __name__ == "__main__":
    asyncio.run(main())
