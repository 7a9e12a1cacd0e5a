"""Resident memory and start-to-ready time of a bot with many channels scheduled.

Usage: python -m bench.footprint [--channels 10000 50000] [--runs 5]
Targets (issue 14, part 5): start to ready in at most 1.5 s with 10,000 channels and at most 3 s
with 50,000, resident memory at most 120 MB with 50,000.

The parent prepares SQLite databases with the channels (five time zones, so ten distinct
schedules), then starts fresh Python processes that import the bot, open the database, load the
drill bank, schedule the distinct schedules' cron jobs and report their own resident memory and
the seconds since the process was created (and the CPU time it used by then: on a busy machine
the wall time also counts the wait for a core). The anchor is the same start with no channel at all,
run interleaved with the others: what the channels add is the difference. One untimed start
warms the drill bank's cache, as every start after the first since the drill files changed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime

from sqlalchemy import insert

from bench.common import fresh_core
from bot.core.model import ChannelSettings
from bot.core.schedule import next_post_after, next_weekly_after
from bot.storage.repos.channels import settings_columns
from bot.storage.tables import channels

CHILD = """
import asyncio, json, os, time, psutil
from config import load_settings
from bot.bootstrap import build
from bot.scheduling import DrillScheduler

async def main():
    app = await build(load_settings(None))
    scheduler = DrillScheduler(app.core, {})
    await scheduler.start()
    ready = time.time() - psutil.Process().create_time()
    cpu = sum(psutil.Process().cpu_times()[:2])
    jobs = len(scheduler.scheduler.get_jobs())
    rss = psutil.Process().memory_info().rss / 2**20
    await scheduler.stop()
    await app.db.dispose()
    print(json.dumps({"ready": ready, "cpu": cpu, "rss": rss, "jobs": jobs}))

asyncio.run(main())
"""


async def prepare(url: str, count: int) -> None:
    core = await fresh_core(url)
    now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    zones = ["UTC", "Europe/London", "America/New_York", "Asia/Tokyo", "Pacific/Tongatapu"]

    def load(uow) -> None:  # type: ignore[no-untyped-def]
        rows = []
        for number in range(count):
            settings = ChannelSettings(timezone=zones[number % len(zones)])
            rows.append(
                {
                    "platform": "bench",
                    "space_ref": f"g{number // 50}",
                    "channel_ref": f"c{number}",
                    "created_at": now,
                    "next_post_at": next_post_after(settings, now),
                    "next_weekly_at": next_weekly_after(settings, now),
                    **settings_columns(settings),
                }
            )
        if rows:
            uow.connection.execute(insert(channels), rows)
            uow.commit()

    await core.db.run(load)
    await core.db.dispose()


def run_child(url: str) -> dict[str, float]:
    env = {"DATABASE_URL": url, "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


TARGETS = {10_000: (1.5, None), 50_000: (3.0, 120.0)}  # channels: (seconds, MB)


def measure(counts: list[int], runs: int, folder: str) -> dict[int, list[dict[str, float]]]:
    urls = {count: f"sqlite:///{folder}/footprint-{count}.db" for count in [0, *counts]}
    for count, url in urls.items():
        asyncio.run(prepare(url, count))
    run_child(urls[0])  # warms the drill bank's cache; not counted
    results: dict[int, list[dict[str, float]]] = {count: [] for count in urls}
    for _ in range(runs):
        for count, url in urls.items():
            results[count].append(run_child(url))
    return results


def report(count: int, results: list[dict[str, float]]) -> str:
    ready = statistics.median(r["ready"] for r in results)
    cpu = statistics.median(r["cpu"] for r in results)
    rss = statistics.median(r["rss"] for r in results)
    jobs = int(results[0]["jobs"])
    line = f"{count:>7,} channels, {jobs:>3} cron jobs: start to ready {ready:.2f} s (CPU {cpu:.2f} s), resident {rss:.0f} MB"
    seconds, megabytes = TARGETS.get(count, (None, None))
    if seconds is not None:
        verdict = ready <= seconds and (megabytes is None or rss <= megabytes)
        memory = f", {megabytes:.0f} MB" if megabytes else ""
        line += f"  {'ok' if verdict else 'OVER'} (target {seconds} s{memory})"
    return line + ("  (anchor)" if count == 0 else "")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--channels", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    runs = max(args.runs, 3)
    before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        results = measure(args.channels, runs, folder)
    print(f"load average {before:.2f} before, {os.getloadavg()[0]:.2f} after; medians of {runs}")
    for count, samples in results.items():
        print(report(count, samples))


if __name__ == "__main__":
    main()
