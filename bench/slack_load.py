"""Slack under load: Drillbot's ack and reply times beside a bare Bolt app's, in the same run.

Usage: python -m bench.slack_load [--concurrent 50] [--rounds 3]
Targets: with 50 concurrent slash commands, Drillbot's ack p99 at most 1.3x and its reply p50 at
most 2x those of a bare Bolt app that acks and then replies through ``respond``.

Both apps run in HTTP mode on loopback against the same fake Slack; each round sends the same
burst of signed ``/drill`` requests to one and then the other (their order alternates). Drillbot
answers ``/drill streak``: a database read on SQLite and a private reply to the response URL.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bench.common import fresh_core
from bot.core.model import Place
from bot.core.services import admin
from bot.platforms.slack_app.runtime import SlackRuntime
from tests.fakes.slack import FakeSlack, serve_bolt_app, slash_command
from tests.platforms.slack_app.conftest import slack_settings

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


class TimedSlack(FakeSlack):
    """The fake, noting when each response URL is posted to."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived: dict[str, float] = {}
        self.posted = asyncio.Event()

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        self.arrived[f"{self.url}{request.path}"] = time.perf_counter()
        self.posted.set()
        return await super()._handle_response_url(request)

    async def replies(self, urls: list[str]) -> None:
        """Wait until every one of ``urls`` has been posted to."""
        while True:
            self.posted.clear()  # before looking, so an arrival after the look is not missed
            if all(url in self.arrived for url in urls):
                return
            await self.posted.wait()


def bare_app(fake: FakeSlack) -> AsyncApp:
    client = AsyncWebClient(base_url=fake.base_url, token=fake.bot_token)
    app = AsyncApp(signing_secret=fake.signing_secret, client=client)

    @app.command("/drill")
    async def drill(ack: Any, respond: Any) -> None:
        await ack()
        await respond("bob: streak 3 days (longest 5), 1 freeze held, 9 points this week.")

    return app


@asynccontextmanager
async def drillbot(fake: FakeSlack, folder: str):  # type: ignore[no-untyped-def]
    core = await fresh_core(f"sqlite:///{folder}/load.db")
    channel = fake.add_channel("drills")
    await admin.register_channel(core, Place("slack", fake.team_id, channel), NOW)
    runtime = SlackRuntime(
        core, slack_settings(fake), core.db.engine, clock=lambda: NOW, host="127.0.0.1"
    )
    await runtime.start()
    try:
        yield f"http://127.0.0.1:{runtime.port}/slack/events", channel
    finally:
        await runtime.stop()
        await core.db.dispose()


async def burst(
    fake: TimedSlack, url: str, channel: str, users: list[str], http: aiohttp.ClientSession
) -> tuple[list[float], list[float]]:
    """Acks and replies (seconds from each request's send) for one concurrent burst."""

    async def one(user: str) -> tuple[float, str, float]:
        response_url = fake.new_response_url()
        payload = slash_command(
            text="streak",
            user_id=user,
            channel_id=channel,
            response_url=response_url,
            team_id=fake.team_id,
        )
        request = payload.signed(fake.signing_secret)
        began = time.perf_counter()
        async with http.post(url, data=request.body, headers=request.headers) as answer:
            await answer.read()
        return began, response_url, time.perf_counter() - began

    sent = await asyncio.gather(*(one(user) for user in users))
    await fake.replies([response_url for _, response_url, _ in sent])
    acks = [ack for _, _, ack in sent]
    replies = [fake.arrived[response_url] - began for began, response_url, _ in sent]
    return acks, replies


def p99(samples: list[float]) -> float:
    return sorted(samples)[max(0, round(0.99 * len(samples)) - 1)]


async def measure(concurrent: int, rounds: int) -> None:
    figures: dict[str, list[tuple[float, float]]] = {"bare Bolt": [], "Drillbot": []}
    async with TimedSlack() as fake, aiohttp.ClientSession() as http:
        users = [fake.add_user(f"member{n}") for n in range(concurrent)]
        with tempfile.TemporaryDirectory() as folder:
            async with serve_bolt_app(bare_app(fake)) as bare_url, drillbot(fake, folder) as ours:
                runs: dict[str, Callable[[], Awaitable[tuple[list[float], list[float]]]]] = {
                    "bare Bolt": lambda: burst(fake, bare_url, ours[1], users, http),
                    "Drillbot": lambda: burst(fake, ours[0], ours[1], users, http),
                }
                for number in range(rounds + 1):  # the first round warms both up, unmeasured
                    for name in sorted(runs, reverse=number % 2 == 1):
                        acks, replies = await runs[name]()
                        if number:
                            figures[name].append((p99(acks), statistics.median(replies)))
    report(figures, concurrent)


def report(figures: dict[str, list[tuple[float, float]]], concurrent: int) -> None:
    print(f"load average {os.getloadavg()[0]:.1f}; {concurrent} concurrent /drill streak")
    medians = {}
    for name, runs in figures.items():
        ack = statistics.median(a for a, _ in runs) * 1000
        reply = statistics.median(r for _, r in runs) * 1000
        medians[name] = (ack, reply)
        print(
            f"{name:>10}: ack p99 {ack:6.1f} ms   reply p50 {reply:6.1f} ms  (medians of {len(runs)})"
        )
    (bare_ack, bare_reply), (ack, reply) = medians["bare Bolt"], medians["Drillbot"]
    print(
        f"ratios: ack p99 {ack / bare_ack:.2f}x (target <= 1.3x), "
        f"reply p50 {reply / bare_reply:.2f}x (target <= 2x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--concurrent", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(measure(args.concurrent, args.rounds))


if __name__ == "__main__":
    main()
