"""Blind drills through the real runtime: answers given privately (the Answer button and modal,
``/answer``), thread messages refused, one reveal when the answer window ends (a notice, then a
ballot per answer showing its text), votes and reviews during the review window, then results."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

from bot.core import wording
from bot.core.services.sweep import run_due_work
from tests.fakes.discord import FakeChannel, FakeInteraction, FakeMember
from tests.platforms.discord_app.checks import assert_clean
from tests.platforms.discord_app.helpers import MESSAGES, Drive, answered, reply_of
from tests.platforms.discord_app.test_reviews import components, forged

NINE = timedelta(hours=1)  # monday_morning is 08:00 UTC; drills post at 09:00
REVEAL = NINE + timedelta(hours=24)  # the answer window (24 h) ends: answers are revealed
RESULTS = REVEAL + timedelta(hours=6)  # the review window (6 h) ends: the round closes
BOB = "Pause the job first, then refund the duplicate charges and tell support what happened."
CAROL = (
    "Add an idempotency key per billing period [see the fix](https://evil.example/phish) and "
    "ping @everyone before the rollback, so nobody retries the charge by hand."
)
PRIVATE = "nobody sees it until all answers are revealed together"
HIDDEN = "This drill is blind: answers are revealed together when its answer window ends."


async def blind_drill(drive: Drive, monday_morning: datetime) -> FakeChannel:
    """A drill channel set to blind with a 6 h review window, and its first drill posted."""
    await drive.start()
    await drive.admin("channel")
    for sub, value, shown in (("blind", "on", "Blind"), ("review-window", "6h", "6h")):
        changed = await drive.admin(sub, value)
        assert not changed.ephemeral and shown in str(reply_of(changed)), reply_of(changed)
    await drive.sweep(monday_morning + NINE)
    post = (await drive.posts())["drill:1"]
    assert post["status"] == "sent"
    return drive.thread(post["thread_ref"])


async def by_button(drive: Drive, member: FakeMember, text: str) -> FakeInteraction:
    """The drill post's Answer button, then the modal it opens."""
    drill = drive.fake.message((await drive.posts())["drill:1"]["message_ref"])
    opened = await drive.click(drill, "drillbot:answer:1", member)
    assert opened.response_type == 9 and opened.modal is not None, opened.callbacks
    return await answered(
        await drive.fake.submit_modal(opened.modal["custom_id"], member, {"answer": text})
    )


async def stored_answers(drive: Drive) -> list[Any]:
    return await drive.core.db.run(
        lambda uow: uow.connection.exec_driver_sql(
            "SELECT id, text, late FROM answers ORDER BY id"
        ).all()
    )


def ballots(drive: Drive, thread: FakeChannel) -> list[dict[str, Any]]:
    return [m for m in drive.bot_messages(thread) if m["content"].startswith("Answer #")]


def notices(drive: Drive) -> list[dict[str, Any]]:
    said = drive.bot_messages(drive.hall.channel)
    return [m for m in said if "revealed in its thread" in m["content"]]


def stamp(at: datetime) -> str:
    return f"<t:{int(at.timestamp())}:f>"


async def test_a_blind_day_answers_privately_reveals_once_then_votes_reviews_and_results(
    drive: Drive, monday_morning: datetime
) -> None:
    hall, fake = drive.hall, drive.fake
    thread = await blind_drill(drive, monday_morning)
    embed = fake.requests_to("POST", MESSAGES)[-1].json["embeds"][0]
    how = embed["description"].rsplit("\n\n", 1)[1]
    assert how.startswith("Blind drill: answer privately with ")
    assert f"before {stamp(monday_morning + REVEAL)}" in how
    assert f"vote and review until {stamp(monday_morning + RESULTS)}" in how

    drive.clock.now = monday_morning + NINE + timedelta(hours=1)
    await fake.member_says(thread, hall.bob, BOB)
    await fake.wait_until(lambda: _said(drive, thread, wording.BLIND_THREAD), 10.0)
    assert await stored_answers(drive) == []  # the thread message was not taken

    bob = await by_button(drive, hall.bob, BOB)
    assert bob.ephemeral and "Recorded privately as answer #1" in reply_of(bob)["content"]
    assert PRIVATE in reply_of(bob)["content"]
    carol = await drive.slash(hall.carol, "answer", {"text": CAROL})
    assert carol.ephemeral and "Recorded privately as answer #2" in reply_of(carol)["content"]
    assert [(a.text, a.late) for a in await stored_answers(drive)] == [
        (BOB, False),
        (CAROL, False),
    ]
    assert not ballots(drive, thread) and not notices(drive)
    assert not [key for key in await drive.posts() if key.startswith("ballot")]

    for custom_id in ("drillbot:vote:1", "drillbot:review:1"):
        early = await drive.click(forged(drive, thread, custom_id), custom_id, hall.alice)
        assert early.ephemeral and reply_of(early)["content"] == HIDDEN, early.callbacks
    early = await drive.slash(hall.alice, "review", {"n": "2"}, channel=thread)
    assert early.ephemeral and reply_of(early)["content"] == HIDDEN

    await drive.sweep(monday_morning + REVEAL)
    await drive.sweep(monday_morning + REVEAL + timedelta(minutes=1))
    assert len(notices(drive)) == 1
    shown = ballots(drive, thread)
    assert [b["content"].split(":")[0] for b in shown] == ["Answer #1 by Bob", "Answer #2 by Carol"]
    bob_ballot, carol_ballot = shown
    assert bob_ballot["embeds"][0]["description"] == BOB
    text = carol_ballot["embeds"][0]["description"]
    assert "](https" not in text and "@everyone" not in text  # no masked link, no ping
    assert "evil.example/phish" in text and "see the fix" in text
    for number, ballot in enumerate(shown, start=1):
        assert set(components(ballot)) == {f"drillbot:vote:{number}", f"drillbot:review:{number}"}

    late = await by_button(drive, hall.alice, "Late, but: " + BOB)
    assert late.ephemeral and "Recorded as late answer #3" in reply_of(late)["content"]
    assert (await stored_answers(drive))[-1].late
    assert len(ballots(drive, thread)) == 2  # a late answer gets no ballot

    for voter in (hall.alice, hall.carol):
        vote = await drive.click(bob_ballot, "drillbot:vote:1", voter)
        assert vote.ephemeral and "Vote recorded for Bob's answer" in reply_of(vote)["content"]
    own = await drive.click(carol_ballot, "drillbot:vote:2", hall.carol)
    assert reply_of(own)["content"] == "You cannot vote for your own answer."
    await review(drive, carol_ballot, hall.bob)

    await drive.sweep(monday_morning + RESULTS)
    assert (await drive.posts())["results:1"]["status"] == "sent"
    results = drive.bot_messages(thread)[-1]["embeds"][0]
    assert "1. **Bob** (answer #1, 2 votes)" in results["description"]
    seen = [f["value"] for f in results["fields"] if f["name"] == wording.REVIEWS]
    assert seen and "Answer 2 by Carol, 1 review" in seen[0]
    closed = await drive.click(bob_ballot, "drillbot:vote:1", hall.bob)
    assert "Voting has closed" in reply_of(closed)["content"]
    assert_clean(fake)


async def review(drive: Drive, ballot: dict[str, Any], member: FakeMember) -> None:
    """Open the Review form under ``ballot``, pick a read and save."""
    review_id = next(c for c in components(ballot) if c.startswith("drillbot:review:"))
    number = review_id.rsplit(":", 1)[1]
    opened = await drive.click(ballot, review_id, member)
    assert opened.ephemeral and reply_of(opened)["content"].startswith(
        f"**Reviewing answer #{number}.**"
    )
    form = drive.fake.message(opened.message or {})
    read_id = f"drillbot:review-read:{number}:none"
    await answered(await drive.fake.choose_select(form, read_id, member, ["senior"]))
    form = drive.fake.message(form)
    saved = await drive.click(form, f"drillbot:review-save:{number}:none:senior", member)
    assert reply_of(saved)["content"].startswith(f"Saved your review of answer {number}")


def _said(drive: Drive, thread: FakeChannel, text: str) -> bool:
    return any(m["content"] == text for m in drive.bot_messages(thread))


async def test_a_reveal_posts_each_ballot_once_across_sweeps_runtimes_and_a_restart(
    drive: Drive, monday_morning: datetime
) -> None:
    hall, fake = drive.hall, drive.fake
    thread = await blind_drill(drive, monday_morning)
    await by_button(drive, hall.bob, BOB)
    await drive.slash(hall.carol, "answer", {"text": CAROL})
    first = drive.runtime
    second = await drive.start()  # a second process on the same database
    at = monday_morning + REVEAL
    drive.clock.now = at
    fake.lose_next_response("POST", MESSAGES)  # one reveal post goes out, its outcome is lost
    await asyncio.gather(
        *(run_due_work(drive.core, {"discord": rt.platform}, at) for rt in (first, second))
    )
    await second.stop()
    drive.runtimes.remove(second)
    await first.stop()
    await drive.start()  # a restart at the same minute sweeps again
    await drive.sweep(at)
    await drive.sweep(at + timedelta(minutes=5))  # the lost one is sent again, same nonce
    assert len(notices(drive)) == 1 and len(ballots(drive, thread)) == 2
    posts = await drive.posts()
    assert all(posts[key]["status"] == "sent" for key in posts if key.startswith("ballot"))
    nonces = [r.json["nonce"] for r in fake.requests_to("POST", MESSAGES)]
    assert len(nonces) == len(set(nonces)) + 1  # the retry of the lost send, deduplicated
    assert_clean(fake)


async def test_a_short_blind_answer_is_told_to_add_more_privately(
    drive: Drive, monday_morning: datetime
) -> None:
    hall = drive.hall
    thread = await blind_drill(drive, monday_morning)
    short = await by_button(drive, hall.bob, "Roll back.")
    said = reply_of(short)["content"]
    assert short.ephemeral and said.startswith("Recorded privately as answer #1, but answers under")
    assert "add more with the answer command" in said and "thread" not in said
    more = await drive.slash(hall.bob, "answer", {"text": BOB}, channel=thread)
    assert more.ephemeral and reply_of(more)["content"].startswith("Added to your private answer")
    assert [a.text for a in await stored_answers(drive)] == [f"Roll back.\n{BOB}"]
    assert not ballots(drive, thread)
    assert_clean(drive.fake)
