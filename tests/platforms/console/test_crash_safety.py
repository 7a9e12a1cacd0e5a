"""A 30-day console run killed with SIGKILL at 50+ random moments ends exactly like an uninterrupted one."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from bot.storage.engine import open_database
from bot.storage.tables import answers, round_scores, streaks, votes
from tests.platforms.console.crash_harness import run, thirty_day_script

KILLS = 60


async def final_state(database: Path) -> dict[str, set[tuple[object, ...]]]:
    db = open_database(f"sqlite:///{database}")
    try:
        queries = {
            "answers": select(
                answers.c.round_id,
                answers.c.member_id,
                answers.c.late,
                answers.c.text,
                answers.c.withdrawn,
            ),
            "votes": select(votes.c.answer_id, votes.c.voter_id),
            "scores": select(
                round_scores.c.round_id,
                round_scores.c.member_id,
                round_scores.c.points,
                round_scores.c.votes,
                round_scores.c.bonus,
            ),
            "streaks": select(
                streaks.c.member_id,
                streaks.c.current,
                streaks.c.longest,
                streaks.c.freezes,
                streaks.c.last_day,
            ),
        }
        return await db.run(
            lambda uow: {
                name: {tuple(row) for row in uow.connection.execute(q)}
                for name, q in queries.items()
            }
        )
    finally:
        await db.dispose()


def posted_keys(transcript: Path) -> list[str]:
    return [json.loads(line)["key"] for line in transcript.read_text().splitlines()]


async def test_killed_run_matches_the_uninterrupted_run(tmp_path):
    script = thirty_day_script()
    assert run(script, tmp_path / "calm.db", tmp_path / "calm.jsonl", kills=0) == 0
    kills = run(script, tmp_path / "crash.db", tmp_path / "crash.jsonl", kills=KILLS)
    assert kills >= 50, f"only {kills} kills landed while the console was running"
    calm, crashed = (
        await final_state(tmp_path / "calm.db"),
        await final_state(tmp_path / "crash.db"),
    )
    for table in ("answers", "votes", "scores", "streaks"):
        assert crashed[table] == calm[table], table
    crash_keys = posted_keys(tmp_path / "crash.jsonl")
    assert len(crash_keys) == len(set(crash_keys)), "a post was shown twice"
    assert set(crash_keys) == set(posted_keys(tmp_path / "calm.jsonl"))
    assert sum(key.startswith("weekly:") for key in crash_keys) == 4
    assert sum(key.startswith("drill:") for key in crash_keys) == 32  # 23 Nov to 24 Dec
