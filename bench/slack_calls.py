"""Slack Web API calls a second through the bot's own client factory, against the local fake Slack:
one shared HTTP session (what ``SlackRuntime`` now gives every client) beside a session per call
(what ``AsyncWebClient`` does without one). Rounds alternate so machine noise hits both alike.

Usage: python -m bench.slack_calls [--calls 400] [--rounds 3] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time

from bot.platforms.slack_app.clients import open_session, web_client
from tests.fakes.slack.web_api import FakeSlack


async def rate(fake: FakeSlack, calls: int, concurrency: int, shared: bool) -> float:
    session = open_session() if shared else None
    client = web_client(fake.base_url, fake.bot_token, session=session)
    gate = asyncio.Semaphore(concurrency)

    async def one() -> None:
        async with gate:
            await client.auth_test()

    began = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(calls)))
    elapsed = time.perf_counter() - began
    if session is not None:
        await session.close()
    return calls / elapsed


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    results: dict[bool, list[float]] = {True: [], False: []}
    async with FakeSlack() as fake:
        for _ in range(args.rounds):
            for shared in (False, True):
                results[shared].append(await rate(fake, args.calls, args.concurrency, shared))
    per_call, shared = (statistics.median(results[flag]) for flag in (False, True))
    print(f"load average {os.getloadavg()[0]:.1f}; {args.calls} calls x {args.rounds} rounds")
    print(f"a session per call:   {per_call:7.0f} calls/s (median)")
    print(f"one shared session:   {shared:7.0f} calls/s (median), {shared / per_call:.2f}x")


if __name__ == "__main__":
    asyncio.run(main())
