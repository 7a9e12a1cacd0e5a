"""Fan-out on Slack: N channels of one workspace due the same minute, through the production path.

Usage: python -m bench.fanout_slack [--channels 1000 5000] [--runs 3] [--rate 10]
Target (issue 14, part 3): every drill posted in at most 1.1x the floor the rate limits set, with
no 429.

The platform is the repo's FakeSlack with Slack's posting limits: one ``chat.postMessage`` a
second per channel, and a workspace-wide limit of ``--rate`` a second (a token bucket holding one
second's worth), answering 429 with ``Retry-After`` beyond either. Slack publishes no figure for
the workspace-wide limit ("several hundred messages a minute"); the default, 10 a second (600 a
minute), is also Drillbot's default ``DRILLBOT_SLACK_POST_RATE``, which the bot is given here. One
post per drill, so the floor is channels / rate (the bucket's first second is not counted: the bot
does not spend it). The bot is what ``drillbot run`` builds for Slack in HTTP mode: the real core on
SQLite (outbox, leases), ``SlackRuntime`` with its clients and pacers, and the scheduler's
``run_due_work(overlap=True)`` on a Tuesday (no weekly leaderboard due). The clock stops once the
last drill is posted, retries included. Medians of ``--runs``; load averages before and after.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time

from bench.common import fresh_core
from bench.fanout import TUESDAY, fan_out, load, posted
from bot.core.model import Place
from bot.core.services.admin import register_channel
from bot.platforms.slack_app.refs import PLATFORM
from bot.platforms.slack_app.runtime import SlackRuntime
from tests.fakes.slack import FakeSlack
from tests.platforms.slack_app.conftest import slack_settings

CHANNEL_RATE = 1.0  # chat.postMessage a second in one channel


async def measured(fake: FakeSlack, channels: list[str], rate: float) -> tuple[float, int]:
    """Seconds from the due minute until every drill is out; drills recorded as sent."""
    with tempfile.TemporaryDirectory() as folder:
        core = await fresh_core(f"sqlite:///{folder}/fanout.db")
        for channel in channels:
            await register_channel(core, Place(PLATFORM, fake.team_id, channel), TUESDAY)
        settings = slack_settings(fake, post_rate=rate)
        runtime = SlackRuntime(core, settings, core.db.engine, host="127.0.0.1")
        await runtime.start()
        try:
            began = time.perf_counter()
            await fan_out(core, runtime.platform)
            return time.perf_counter() - began, await posted(core)
        finally:
            await runtime.stop()
            await core.db.dispose()


async def one_run(count: int, rate: float) -> tuple[float, int, int]:
    """A fresh fake with Slack's limits and a fresh bot: seconds, 429s answered, drills posted."""
    async with FakeSlack() as fake:
        fake.rate_limit_per_channel(CHANNEL_RATE, methods=("chat.postMessage",))
        fake.rate_limit_workspace(rate, burst=max(1, round(rate)))
        channels = [fake.add_channel(f"drills-{number}") for number in range(count)]
        elapsed, sent = await measured(fake, channels, rate)
        return elapsed, fake.rate_limited_count + fake.refused_while_closed, sent


async def run(count: int, runs: int, rate: float) -> None:
    floor = count / rate
    times: list[float] = []
    for number in range(1, runs + 1):
        seen = load()
        elapsed, limited, sent = await one_run(count, rate)
        times.append(elapsed)
        print(
            f"  run {number}: {elapsed:7.1f} s  floor {floor:.0f} s  {elapsed / floor:.3f}x  "
            f"429s {limited}  posted {sent}/{count}  ({seen}; after: {load()})",
            flush=True,
        )
    median = statistics.median(times)
    print(
        f"{count:,} Slack drills at {rate:g}/s per workspace and {CHANNEL_RATE:g}/s per channel, "
        f"median of {runs}: {median:.1f} s = {median / floor:.3f}x the floor ({floor:.0f} s)  "
        f"({load()})",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--channels", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rate", type=float, default=10.0, help="workspace posts a second")
    args = parser.parse_args()
    for count in args.channels:
        asyncio.run(run(count, args.runs, args.rate))


if __name__ == "__main__":
    main()
