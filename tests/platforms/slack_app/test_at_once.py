"""Members acting at the same moment, through the real Bolt app: on SQLite their units of work
share transactions (group commit). Every answer and vote is stored once and every click answered
once, as when they come one after another."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from bot.storage.tables import answers, members, votes
from bot.storage.uow import Database
from tests.platforms.slack_app.conftest import Driver
from tests.support.rows import count_rows

MEMBERS = 12
ANSWER = "I would roll back first, then compare the pool waits from before and after the deploy."


async def _answer_ids(database: Database) -> dict[str, int]:
    query = select(members.c.display_name, answers.c.id).join(
        members, members.c.id == answers.c.member_id
    )
    rows = await database.run(lambda uow: uow.connection.execute(query).all())
    return {name: answer_id for name, answer_id in rows}


async def test_members_answering_and_voting_at_once_are_each_counted_and_told_once(
    driver: Driver, database: Database
) -> None:
    await driver.command("alice", "admin channel")
    await driver.advance(timedelta(hours=1))
    [drill] = driver.drills()
    names = [f"member{n}" for n in range(MEMBERS)]
    driver.users.update({name: driver.fake.add_user(name) for name in names})

    await asyncio.gather(*(driver.say(name, f"{name}: {ANSWER}", drill.ts) for name in names))
    ids = await _answer_ids(database)
    assert sorted(ids) == sorted(names)
    ballots = driver.vote_buttons(drill.ts)
    assert sorted(ballots) == sorted(ids.values())

    # Everyone votes for member0's answer at once; member0 votes for member1's.
    def target(name: str) -> int:
        return ids["member1" if name == "member0" else "member0"]

    clicks = (
        driver.click(name, "vote", str(target(name)), ballots[target(name)]) for name in names
    )
    await asyncio.gather(*clicks)
    assert await count_rows(database, votes) == MEMBERS
    assert await count_rows(database, votes, votes.c.answer_id == ids["member0"]) == MEMBERS - 1
    for name in names:
        receipts = [text for text in driver.ephemerals_to(name) if "Vote recorded" in text]
        assert len(receipts) == 1, (name, driver.ephemerals_to(name))
