"""Resident memory and start-to-ready time of a bot with many channels scheduled.

Usage: python -m bench.footprint [--channels 10000]
Targets (issue 2): at most 100 MB resident with 10,000 channels; start to ready in at most 1.5 s.

The parent prepares a SQLite database with the channels, then starts a fresh Python process that
imports the bot, opens the database, loads the drill bank, registers a cron job per channel and
reports its own resident memory and the seconds since the process was created.
"""

from __future__ import annotations

import argparse
import asyncio
import json
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
    jobs = len(scheduler.scheduler.get_jobs())
    rss = psutil.Process().memory_info().rss / 2**20
    await scheduler.stop()
    await app.db.dispose()
    print(json.dumps({"ready": ready, "rss": rss, "jobs": jobs}))

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--channels", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/footprint.db"
        asyncio.run(prepare(url, args.channels))
        results = [run_child(url) for _ in range(args.runs)]
    ready = statistics.median(r["ready"] for r in results)
    rss = statistics.median(r["rss"] for r in results)
    print(
        f"{args.channels:,} channels, {int(results[0]['jobs']):,} cron jobs: start to ready median {ready:.2f} s, resident memory median {rss:.0f} MB ({args.runs} runs)"
    )


if __name__ == "__main__":
    main()
