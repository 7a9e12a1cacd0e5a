"""Members acting at the same moment, through the real discord.py client against the fake Discord:
on SQLite their units of work share transactions (group commit). Every answer and vote is stored
once and every click answered once, as when they come one after another."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from bot.storage.tables import answers, votes
from tests.platforms.discord_app.helpers import Drive, message_answer, reply_of
from tests.support.rows import count_rows

MEMBERS = 10
ANSWER = "Roll back the canary first, then compare pool waits and error rates before and after."


async def test_members_answering_and_voting_at_once_are_each_counted_and_told_once(
    drive: Drive, monday_morning: datetime
) -> None:
    fake, guild = drive.fake, drive.hall.guild
    thread = await drive.first_drill(monday_morning + timedelta(hours=1))
    people = [fake.add_member(guild, f"member{n}") for n in range(MEMBERS)]

    said = await asyncio.gather(
        *(fake.member_says(thread, p, f"{ANSWER} ({n})") for n, p in enumerate(people))
    )
    await drive.until(lambda uow: all(message_answer(uow, m["id"]) for m in said))
    ids = [await drive.core.db.run(lambda uow, m=m: message_answer(uow, m["id"])) for m in said]
    assert sorted(ids) == list(range(1, MEMBERS + 1))
    assert await count_rows(drive.core.db, answers) == MEMBERS

    # Everyone votes for member0's answer at once; member0 votes for member1's.
    targets = [ids[1]] + [ids[0]] * (MEMBERS - 1)
    ballots = {i: await drive.wait_ballot(thread, i) for i in set(targets)}
    clicks = await asyncio.gather(
        *(
            drive.click(ballots[t], f"drillbot:vote:{t}", p)
            for p, t in zip(people, targets, strict=True)
        )
    )
    assert all("Vote recorded" in reply_of(click)["content"] for click in clicks)
    assert await count_rows(drive.core.db, votes) == MEMBERS
    assert await count_rows(drive.core.db, votes, votes.c.answer_id == ids[0]) == MEMBERS - 1
