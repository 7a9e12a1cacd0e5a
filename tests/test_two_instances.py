"""Two real bot processes on one PostgreSQL database: 500 channels due at the same minute, 7 days.

Every channel gets exactly one drill a day, one results post per round and one weekly leaderboard;
every answer and vote (a vote delivered to both processes included) is counted once.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from bot.core.model import Place
from bot.core.services.admin import register_channel
from bot.core.services.context import Core
from bot.storage.engine import create_engine, open_database
from bot.storage.migrate import upgrade
from bot.storage.tables import answers, votes
from drills import load_bank
from tests.conftest import postgres_url

pytestmark = pytest.mark.postgres
CHANNELS = 500
BUSY = 50  # channels that also get daily answers and votes
START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


class Instance:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(cls, name: str, deliveries: Path, schema: str, url: str) -> Instance:
        env = {**os.environ, "DATABASE_URL": url}
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.support.instance",
            name,
            str(deliveries),
            schema,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            env=env,
        )
        instance = cls(process)
        assert "ready" in json.loads(await instance._line())
        return instance

    async def _line(self) -> str:
        assert self.process.stdout is not None
        return (await asyncio.wait_for(self.process.stdout.readline(), 300)).decode()

    async def send(self, **command: object) -> object:
        assert self.process.stdin is not None
        self.process.stdin.write((json.dumps(command, default=str) + "\n").encode())
        await self.process.stdin.drain()
        return json.loads(await self._line())["result"]

    async def stop(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        await asyncio.wait_for(self.process.wait(), 60)


async def test_two_processes_post_count_and_score_everything_once(tmp_path):
    url = postgres_url()
    assert url is not None
    schema = f"two_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url)
    async with admin.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    db = open_database(url, connect_args={"server_settings": {"search_path": schema}})
    try:
        await upgrade(db)
        await _run_week(Core(db=db, bank=load_bank()), url, schema, tmp_path / "deliveries.jsonl")
    finally:
        await db.dispose()
        async with admin.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


async def _run_week(core: Core, url: str, schema: str, deliveries: Path) -> None:
    for number in range(CHANNELS):
        await register_channel(core, Place("multi", "space", f"c{number}"), START)
    a, b = [await Instance.start(name, deliveries, schema, url) for name in ("a", "b")]
    sent_answers, sent_votes = 0, 0
    try:
        for day in range(8):
            now = START + timedelta(days=day, hours=1)
            await asyncio.gather(a.send(op="tick", now=now), b.send(op="tick", now=now))
            threads = _todays_threads(deliveries, day)
            answers_today, votes_today = await _activity(a, b, threads, day, now)
            sent_answers, sent_votes = sent_answers + answers_today, sent_votes + votes_today
        final = START + timedelta(days=8, hours=1, minutes=5)
        await asyncio.gather(a.send(op="tick", now=final), b.send(op="tick", now=final))
    finally:
        await a.stop()
        await b.stop()
    _check_posts(deliveries)
    stored = await core.db.run(
        lambda uow: [
            uow.connection.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (answers, votes)
        ]
    )
    assert stored == [sent_answers, sent_votes]


def _entries(deliveries: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in deliveries.read_text().splitlines()]


def _todays_threads(deliveries: Path, day: int) -> dict[str, str]:
    """Channel -> thread of the newest drill post (round ids come from the post keys)."""
    threads = {}
    for entry in _entries(deliveries):
        if entry["key"].startswith("drill:"):
            threads[entry["channel"]] = f"thread-{entry['key'].split(':')[1]}"
    return threads


async def _activity(
    a: Instance, b: Instance, threads: dict[str, str], day: int, now: datetime
) -> tuple[int, int]:
    """Day 0: one answer in every channel. Every day: three answers and two votes in busy channels;
    each vote reaches both processes, as a redelivered click would."""
    sent_answers = sent_votes = 0
    for number in range(CHANNELS if day == 0 else BUSY):
        channel = f"c{number}"
        authors = ["u1", "u2", "u3"] if number < BUSY else ["u1"]
        ids = []
        for turn, user in enumerate(authors):
            target = a if (number + turn) % 2 else b
            ids.append(
                await target.send(
                    op="answer",
                    now=now,
                    channel=channel,
                    thread=threads[channel],
                    user=user,
                    ref=f"{channel}-{day}-{user}",
                    text="An answer long enough to score: check the last deploy, then the error budget first.",
                )
            )
            sent_answers += 1
        if number < BUSY:
            for voter, answer_id in (("u4", ids[0]), ("u5", ids[1])):
                key = f"{channel}-{day}-{voter}"
                results = await asyncio.gather(
                    *(
                        x.send(
                            op="vote",
                            now=now,
                            user=voter,
                            answer_id=answer_id,
                            key=key,
                            channel=channel,
                        )
                        for x in (a, b)
                    )
                )
                assert all(results)
                sent_votes += 1
    return sent_answers, sent_votes


def _check_posts(deliveries: Path) -> None:
    entries = _entries(deliveries)
    keys = Counter(entry["key"] for entry in entries)
    assert [key for key, count in keys.items() if count > 1] == []
    per_kind = Counter((entry["channel"], entry["key"].split(":")[0]) for entry in entries)
    for number in range(CHANNELS):
        channel = f"c{number}"
        assert (
            per_kind[(channel, "drill")],
            per_kind[(channel, "results")],
            per_kind[(channel, "weekly")],
        ) == (9, 8, 1), channel
    assert {entry["instance"] for entry in entries} == {"a", "b"}
