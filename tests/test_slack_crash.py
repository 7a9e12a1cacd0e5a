"""``drillbot run`` SIGKILLed in the middle of a fan-out to 20 Slack channels, then restarted: each
channel still gets its drill exactly once, and the answers members gave in the threads of drills
posted just before the kill (sent, never recorded) are kept.

The fake Slack carries every post out at once but answers it two seconds late, so at the kill
several posts are out in Slack and unrecorded; their leases expire (``DRILLBOT_SEND_LEASE_SECONDS``)
and the restarted bot finds them by the key in their message metadata and adopts them.
"""

from __future__ import annotations

import asyncio
import signal
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
from sqlalchemy import select

from bot.core.model import Place
from bot.core.services import admin
from bot.core.services.context import Core
from bot.storage.engine import open_database
from bot.storage.migrate import upgrade
from bot.storage.tables import answers, posts, rounds
from drills import load_bank
from tests.fakes.slack import FakeSlack, Message, event_callback, message_event
from tests.test_service import free_port, start_bot, stop_bot

CHANNELS = 20
LATE = 2.0  # seconds the fake takes to answer a post it already made
KILL_AFTER = 6  # drills in Slack when the kill lands


async def _seed(database: Path, fake: FakeSlack, channels: list[str]) -> None:
    """Twenty drill channels, each with today's drill queued (``admin post-now``)."""
    db = open_database(f"sqlite:///{database}")
    try:
        await upgrade(db)
        core, now = Core(db=db, bank=load_bank()), datetime.now(UTC)
        for ref in channels:
            await admin.register_channel(core, Place("slack", fake.team_id, ref), now)
            found = await db.run(lambda uow, ref=ref: uow.channels.find("slack", fake.team_id, ref))
            assert found is not None
            await admin.post_now(core, found, now)
    finally:
        await db.dispose()


def _drills(fake: FakeSlack, channel: str) -> list[Message]:
    return [
        m
        for m in fake.messages(channel)
        if m.bot_id and m.thread_ts is None and m.blocks and m.blocks[0]["type"] == "header"
    ]


async def _wait(predicate, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(timeout * 10)):
        if await predicate():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{what} never happened")


async def _rows(database: Path, query):  # type: ignore[no-untyped-def]
    db = open_database(f"sqlite:///{database}")
    try:
        return await db.run(lambda uow: list(uow.connection.execute(query)))
    finally:
        await db.dispose()


async def _deliver(fake: FakeSlack, port: int, events: list[dict[str, object]]) -> None:
    """Slack retrying the answer events the killed bot never received."""
    async with aiohttp.ClientSession() as session:
        for event in events:
            request = event_callback(event).signed(fake.signing_secret)
            url = f"http://127.0.0.1:{port}/slack/events"
            async with session.post(url, data=request.body, headers=request.headers) as reply:
                assert reply.status == 200


async def test_a_kill_during_a_fan_out_posts_each_drill_once_and_keeps_the_answers(tmp_path):
    database, port = tmp_path / "fanout.db", free_port()
    async with FakeSlack() as fake:
        channels = [fake.add_channel(f"drills-{n:02d}") for n in range(CHANNELS)]
        bob = fake.add_user("bob")
        await _seed(database, fake, channels)
        env = dict(
            SLACK_BOT_TOKEN=fake.bot_token,
            SLACK_SIGNING_SECRET=fake.signing_secret,
            PORT=str(port),
            DRILLBOT_SLACK_API_URL=fake.base_url,
            DRILLBOT_SEND_LEASE_SECONDS="3",
        )
        fake.answer_late("chat.postMessage", LATE, count=CHANNELS)
        first = await start_bot(database, **env)

        async def enough_posted() -> bool:
            return sum(len(_drills(fake, c)) for c in channels) >= KILL_AFTER

        await _wait(enough_posted, 60, f"{KILL_AFTER} drills posted")
        first.send_signal(signal.SIGKILL)
        await first.communicate()
        fake.answer_on_time()
        recorded = {
            row.claim_key
            for row in await _rows(
                database, select(posts.c.claim_key).where(posts.c.status == "sent")
            )
        }
        in_slack = {c: _drills(fake, c)[0] for c in channels if _drills(fake, c)}
        unrecorded = len(in_slack) - len([k for k in recorded if k.startswith("drill:")])
        assert unrecorded >= 1, "the kill landed after every post was recorded"
        print(f"at the kill: {len(in_slack)} drills in Slack, {unrecorded} of them unrecorded")
        events = []
        for channel, drill in in_slack.items():  # answers in the first threads, bot down
            ts = fake.add_message(channel, f"answer in {channel}", user=bob, thread_ts=drill.ts)
            events.append(
                message_event(
                    f"answer in {channel}", user=bob, channel=channel, ts=ts, thread_ts=drill.ts
                )
            )

        second = await start_bot(database, **env)
        try:
            await _wait(lambda: _healthz(port), 60, "the restarted bot")
            await _deliver(fake, port, events)

            async def settled() -> bool:
                sent = await _rows(
                    database,
                    select(posts.c.id).where(
                        posts.c.claim_key.like("drill:%"), posts.c.status == "sent"
                    ),
                )
                kept = await _rows(database, select(answers.c.id))
                return len(sent) == CHANNELS and len(kept) == len(in_slack)

            await _wait(settled, 60, "every drill posted and every answer kept")
        finally:
            logged = await stop_bot(second)
    assert all(len(_drills(fake, c)) == 1 for c in channels)  # exactly one drill per channel
    bound = {row.message_ref for row in await _rows(database, select(rounds.c.message_ref))}
    assert bound == {f"{c}:{_drills(fake, c)[0].ts}" for c in channels}  # rounds bind to them
    answered = await _rows(
        database, select(rounds.c.message_ref).join(answers, answers.c.round_id == rounds.c.id)
    )
    assert {row.message_ref for row in answered} == {f"{c}:{d.ts}" for c, d in in_slack.items()}
    assert logged.count("adopted the earlier post of drill:") == unrecorded
    assert fake.bot_token not in logged and fake.signing_secret not in logged


async def _healthz(port: int) -> bool:
    try:
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"http://127.0.0.1:{port}/healthz") as reply,
        ):
            return reply.status == 200
    except aiohttp.ClientConnectionError:
        return False
