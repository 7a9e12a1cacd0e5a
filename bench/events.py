"""Answers and votes recorded per second through the core, beside the raw driver's insert+commit rate.

Usage: python -m bench.events [--events 4000] [--runs 3] [--postgres URL]
Targets (issue 14): SQLite at least 40 % of raw aiosqlite insert+commit; PostgreSQL at least 30 % of
raw asyncpg insert+commit into a logged table (the TEMP-table rate is printed beside it, flattering:
never flushed); and with 1, 4 and 16 members acting at once the core's rate grows with them.

Half the events are answers (long enough to count for the streak), half are votes sent with the
request key every platform sends; each member's action is a call of the core's own use case.
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


# A realistic answer: long enough (80 characters) to count for the streak, as members' answers do.
ANSWER = "Check the connection pool first: p99 rose with the deploy, so compare pool waits. "


async def core_rate(url: str, events: int, concurrency: int = 1, **options: object) -> float:
    """Events per second: ``events / 2`` answers, then as many votes, each sent with the request
    key the platforms always send, by ``concurrency`` members acting at once."""
    core = await fresh_core(url, **options)
    try:
        await register(core)
        at = START + timedelta(hours=1)
        await run_due_work(core, {"bench": RecordingPlatform(name="bench")}, at)
        half = events // 2
        began = time.perf_counter()
        await _in_lanes(concurrency, half, lambda n: _answer(core, n, at))
        await _in_lanes(concurrency, half, lambda n: _vote(core, n, half, at))
        return events / (time.perf_counter() - began)
    finally:
        await core.db.dispose()


async def _in_lanes(lanes: int, count: int, step) -> None:  # type: ignore[no-untyped-def]
    async def lane(first: int) -> None:
        for n in range(first, count, lanes):
            await step(n)

    await asyncio.gather(*(lane(first) for first in range(lanes)))


PLACE = Place("bench", "space", "channel", "thread-1")


async def _answer(core, n: int, at) -> None:  # type: ignore[no-untyped-def]
    await answers.receive_message(core, member(n), PLACE, f"m{n}", f"{ANSWER}({n})", at)


async def _vote(core, n: int, half: int, at) -> None:  # type: ignore[no-untyped-def]
    await votes.toggle_vote(core, member(n + 1), PLACE, (n % half) + 1, at, f"click-{n}")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=4000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--postgres", help="also measure on this PostgreSQL URL (a scratch database)"
    )
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}; medians of {args.runs} runs")
    await _sqlite(args.events, args.runs)
    if args.postgres:
        await _postgres(args.postgres, args.events, args.runs)


async def _sqlite(events: int, runs: int) -> None:
    raws: list[float] = []
    cores: dict[int, list[float]] = {n: [] for n in CONCURRENCY}
    for _ in range(runs):  # anchor and core alternate, so noise hits both
        for concurrency in CONCURRENCY:
            with tempfile.TemporaryDirectory() as folder:
                raws.append(await raw_sqlite_rate(Path(folder) / "raw.db"))
                url = f"sqlite:///{folder}/core.db"
                cores[concurrency].append(await core_rate(url, events, concurrency))
    raw = statistics.median(raws)
    print(f"sqlite   raw aiosqlite insert+commit {raw:7.0f}/s")
    _print_cores(cores, raw, "of raw")


CONCURRENCY = (1, 4, 16)


def _print_cores(cores: dict[int, list[float]], raw: float, anchor: str) -> None:
    serial = statistics.median(cores[1])
    for concurrency, rates in cores.items():
        rate = statistics.median(rates)
        print(
            f"  core, {concurrency:2d} members at once {rate:7.0f}/s   {rate / raw:4.0%} {anchor}"
            f"   {rate / serial:4.2f}x one at a time"
        )


async def _postgres(url: str, events: int, runs: int) -> None:
    logged: list[float] = []
    temp: list[float] = []
    cores: dict[int, list[float]] = {n: [] for n in CONCURRENCY}
    for _ in range(runs):
        for concurrency in CONCURRENCY:
            logged.append(await raw_postgres_rate(url))
            temp.append(await raw_postgres_rate(url, temp=True))
            cores[concurrency].append(await _postgres_core(url, events, concurrency))
    raw = statistics.median(logged)
    print(
        f"postgres raw asyncpg insert+commit {raw:7.0f}/s (TEMP table {statistics.median(temp):.0f}/s)"
    )
    _print_cores(cores, raw, "of the logged table")


async def _postgres_core(url: str, events: int, concurrency: int) -> float:
    async with scratch_schema(url) as options:
        return await core_rate(url, events, concurrency, **options)


if __name__ == "__main__":
    asyncio.run(main())
