"""Slack under load: Drillbot's ack and reply times beside a bare Bolt app's, in the same run.

Usage: python -m bench.slack_load [--concurrent 50] [--rounds 5]
Targets: with 50 concurrent slash commands or vote clicks, Drillbot's ack p99 at most 1.3x and its
reply p50 at most 2x those of a bare Bolt app.

Both apps run in HTTP mode on loopback against the same fake Slack; each round sends the same
burst of signed requests to one and then the other (their order alternates), for each kind:

- ``/drill streak``: Drillbot reads the member's streak on SQLite and replies privately to the
  response URL; the bare app acks and replies through Bolt's ``respond``.
- a click on a ballot's Vote button (``block_actions``): Drillbot records or withdraws the vote and
  answers with ``chat.postEphemeral``; the bare app acks and posts the same ephemeral message
  through its client, which shares one HTTP session as Drillbot's do (Bolt's ``respond`` cannot).

A reply is timed from the request's send until the fake receives it. Vote rounds are a second
apart (Drillbot paces ephemerals to one member at one a second). Medians of the rounds, after one
unmeasured warm-up round, with the load average before and after.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bench.common import fresh_core
from bot.core.model import Place
from bot.core.services import admin
from bot.core.services.sweep import run_due_work
from bot.platforms.slack_app.runtime import SlackRuntime
from tests.fakes.slack import (
    FakeSlack,
    SlackPayload,
    block_actions,
    event_callback,
    message_event,
    serve_bolt_app,
    slash_command,
)
from tests.platforms.slack_app.conftest import slack_settings

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # a Tuesday: the 09:00 drill is open
KINDS = ("/drill streak", "vote click")
Build = Callable[[str], tuple[SlackPayload, str]]  # a member's request, and its reply's key


class TimedSlack(FakeSlack):
    """The fake, noting when each reply arrives: by response URL, or by the ephemeral's user."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived: dict[str, list[float]] = defaultdict(list)
        self.posted = asyncio.Event()

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        self._arrival(f"{self.url}{request.path}")
        return await super()._handle_response_url(request)

    async def _handle_api(self, request: web.Request) -> web.Response:
        now = time.perf_counter()
        answer = await super()._handle_api(request)
        if self.calls[-1].method == "chat.postEphemeral":
            self._arrival(f"ephemeral:{self.calls[-1].params.get('user')}", now)
        return answer

    def _arrival(self, key: str, now: float | None = None) -> None:
        self.arrived[key].append(time.perf_counter() if now is None else now)
        self.posted.set()

    def first_after(self, key: str, began: float) -> float | None:
        return next((t for t in self.arrived[key] if t >= began), None)

    async def replies(self, sent: list[tuple[float, str]]) -> None:
        """Wait until every (send time, key) has had a reply."""
        while True:
            self.posted.clear()  # before looking, so an arrival after the look is not missed
            if all(self.first_after(key, began) is not None for began, key in sent):
                return
            await self.posted.wait()


def bare_app(fake: FakeSlack, session: aiohttp.ClientSession) -> AsyncApp:
    client = AsyncWebClient(base_url=fake.base_url, token=fake.bot_token, session=session)
    app = AsyncApp(signing_secret=fake.signing_secret, client=client)

    @app.command("/drill")
    async def drill(ack: Any, respond: Any) -> None:
        await ack()
        await respond("bob: streak 3 days (longest 5), 1 freeze held, 9 points this week.")

    @app.action("vote")
    async def vote(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        channel, user = body["channel"]["id"], body["user"]["id"]
        await client.chat_postEphemeral(channel=channel, user=user, text="Vote recorded (now 1).")

    return app


@dataclass(frozen=True)
class Ballot:
    channel: str
    drill_ts: str
    ballot_ts: str
    answer_id: int


@asynccontextmanager
async def drillbot(fake: FakeSlack, folder: str, http: aiohttp.ClientSession):  # type: ignore[no-untyped-def]
    """Drillbot on SQLite in HTTP mode: its events URL and a ballot open for votes."""
    core = await fresh_core(f"sqlite:///{folder}/load.db")
    channel = fake.add_channel("drills")
    await admin.register_channel(core, Place("slack", fake.team_id, channel), NOW.replace(hour=8))
    runtime = SlackRuntime(
        core, slack_settings(fake), core.db.engine, clock=lambda: NOW, host="127.0.0.1"
    )
    await runtime.start()
    try:
        url = f"http://127.0.0.1:{runtime.port}/slack/events"
        await run_due_work(core, {"slack": runtime.platform}, NOW)  # the 09:00 drill goes out
        yield url, await answered(fake, runtime, channel, url, http)
    finally:
        await runtime.stop()
        await core.db.dispose()


async def answered(
    fake: FakeSlack, runtime: SlackRuntime, channel: str, url: str, http: aiohttp.ClientSession
) -> Ballot:
    """An author answers the drill in its thread; the ballot Drillbot posts for the answer."""
    [drill] = fake.messages(channel)
    author = fake.add_user("author")
    said = message_event(
        "Page the owner, then roll back.", user=author, channel=channel, thread_ts=drill.ts
    )
    await post(http, url, event_callback(said).signed(fake.signing_secret))
    await runtime.services.idle()
    for message in fake.thread(channel, drill.ts):
        for block in message.blocks or []:
            for element in block.get("elements", []):
                if element.get("action_id") == "vote":
                    return Ballot(channel, drill.ts, message.ts, int(element["value"]))
    raise RuntimeError("Drillbot posted no ballot")


async def post(http: aiohttp.ClientSession, url: str, request: Any) -> None:
    async with http.post(url, data=request.body, headers=request.headers) as answer:
        await answer.read()


def streak_request(fake: FakeSlack, channel: str) -> Build:
    def build(user: str) -> tuple[SlackPayload, str]:
        url = fake.new_response_url()
        payload = slash_command(
            text="streak", user_id=user, channel_id=channel, response_url=url, team_id=fake.team_id
        )
        return payload, url

    return build


def vote_click(fake: FakeSlack, ballot: Ballot) -> Build:
    def build(user: str) -> tuple[SlackPayload, str]:
        click = block_actions(
            "vote",
            str(ballot.answer_id),
            user_id=user,
            channel_id=ballot.channel,
            message_ts=ballot.ballot_ts,
            message={"thread_ts": ballot.drill_ts},
            response_url=fake.new_response_url(),
            team_id=fake.team_id,
        )
        return click, f"ephemeral:{user}"

    return build


async def burst(
    fake: TimedSlack, url: str, build: Build, users: list[str], http: aiohttp.ClientSession
) -> tuple[float, float]:
    """One concurrent burst: the ack p99 and the reply p50, in seconds from each send."""

    async def one(user: str) -> tuple[float, str, float]:
        payload, key = build(user)
        request = payload.signed(fake.signing_secret)
        began = time.perf_counter()
        await post(http, url, request)
        return began, key, time.perf_counter() - began

    sent = await asyncio.gather(*(one(user) for user in users))
    await fake.replies([(began, key) for began, key, _ in sent])
    replies = [(fake.first_after(key, began) or began) - began for began, key, _ in sent]
    return p99([ack for _, _, ack in sent]), statistics.median(replies)


def p99(samples: list[float]) -> float:
    return sorted(samples)[max(0, round(0.99 * len(samples)) - 1)]


Figures = dict[tuple[str, str], list[tuple[float, float]]]  # (kind, app) -> (ack p99, reply p50)


async def measure(concurrent: int, rounds: int) -> None:
    figures: Figures = defaultdict(list)
    loads = [os.getloadavg()]
    async with TimedSlack() as fake, aiohttp.ClientSession() as http:
        users = [fake.add_user(f"member{n}") for n in range(concurrent)]
        with tempfile.TemporaryDirectory() as folder:
            async with (
                serve_bolt_app(bare_app(fake, http)) as bare_url,
                drillbot(fake, folder, http) as (ours, ballot),
            ):
                builds = {
                    KINDS[0]: streak_request(fake, ballot.channel),
                    KINDS[1]: vote_click(fake, ballot),
                }
                urls = {"bare Bolt": bare_url, "Drillbot": ours}
                for number in range(rounds + 1):  # the first round warms both up, unmeasured
                    for kind, build in builds.items():
                        if kind == KINDS[1]:
                            await asyncio.sleep(1.0)  # one ephemeral a second to each member
                        for app in sorted(urls, reverse=number % 2 == 1):
                            measured = await burst(fake, urls[app], build, users, http)
                            if number:
                                figures[(kind, app)].append(measured)
    loads.append(os.getloadavg())
    report(figures, concurrent, loads)


def report(figures: Figures, concurrent: int, loads: list[tuple[float, float, float]]) -> None:
    before, after = (" ".join(f"{value:.2f}" for value in load) for load in loads)
    print(f"load average before {before}, after {after}; {concurrent} concurrent requests")
    for kind in KINDS:
        medians = {}
        for app in ("bare Bolt", "Drillbot"):
            runs = figures[(kind, app)]
            ack = statistics.median(a for a, _ in runs) * 1000
            reply = statistics.median(r for _, r in runs) * 1000
            medians[app] = (ack, reply)
            print(
                f"{kind:>14} {app:>9}: ack p99 {ack:6.1f} ms   reply p50 {reply:6.1f} ms"
                f"  (medians of {len(runs)})"
            )
        (bare_ack, bare_reply), (ack, reply) = medians["bare Bolt"], medians["Drillbot"]
        print(
            f"{kind:>14} ratios: ack p99 {ack / bare_ack:.2f}x (target <= 1.3x), "
            f"reply p50 {reply / bare_reply:.2f}x (target <= 2x)"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--concurrent", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(measure(args.concurrent, args.rounds))


if __name__ == "__main__":
    main()
