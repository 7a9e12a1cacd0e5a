"""A scripted week with the real discord.py client in the real ``DiscordRuntime`` against
FakeDiscord, the core's due work driven with a simulated clock (as the scheduler would)."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.fakes.discord import FakeChannel
from tests.platforms.discord_app.checks import assert_clean, assert_shape
from tests.platforms.discord_app.helpers import (
    MESSAGES,
    Drive,
    answer_row,
    message_answer,
    reply_of,
)

DAY = timedelta(days=1)
THREADS = "/channels/{channel_id}/messages/{message_id}/threads"


async def open_first_round(drive: Drive, monday_morning: datetime) -> FakeChannel:
    await drive.start()
    registered = await drive.admin("channel")
    assert not registered.ephemeral and "now a drill channel" in reply_of(registered)["content"]
    await drive.sweep(monday_morning + timedelta(hours=1))
    post = (await drive.posts())["drill:1"]
    assert post["status"] == "sent"
    return drive.thread(post["thread_ref"])


async def answer_id(drive: Drive, message: dict[str, object]) -> int:
    found = await drive.core.db.run(lambda uow: message_answer(uow, str(message["id"])))
    assert found is not None
    return found


async def test_drill_post_is_an_embed_with_an_answer_button_and_a_thread(
    drive: Drive, monday_morning: datetime
) -> None:
    thread = await open_first_round(drive, monday_morning)
    post = drive.fake.requests_to("POST", MESSAGES)[-1]
    assert post.path == f"/channels/{drive.hall.channel.id}/messages"
    assert_shape("drill_post", post.json)
    embed = post.json["embeds"][0]
    assert "\n\nTime box: 20 minutes · Walk through: " in embed["description"]
    how = embed["description"].rsplit("\n\n", 1)[1]
    assert how.startswith("Answer in this thread or with the Answer button before <t:")
    assert "(<t:" in how and how.endswith(":R>), then vote for the answers you would hire.")
    assert post.json["enforce_nonce"] is True and len(post.json["nonce"]) <= 25
    opened = drive.fake.requests_to("POST", THREADS)[0]
    assert opened.json["auto_archive_duration"] == 1440 and opened.json["name"].startswith(
        "Answers"
    )
    assert thread.parent_id == drive.hall.channel.id and thread.id == int(post.response["id"])
    assert_clean(drive.fake)


async def test_first_day_answers_edits_deletes_votes_and_results(
    drive: Drive, monday_morning: datetime
) -> None:
    hall, fake = drive.hall, drive.fake
    thread = await open_first_round(drive, monday_morning)
    drive.clock.now = monday_morning + timedelta(hours=2)
    first = await drive.answer(thread, hall.alice, "Mitigate first: pause the job.")
    alice_id = await answer_id(drive, first)
    ballot = await drive.wait_ballot(thread, alice_id)
    assert ballot["content"] == f"Answer #{alice_id} by Alice: vote if you would hire this answer."
    sent = [r.json for r in fake.requests_to("POST", MESSAGES)]
    assert_shape("ballot", next(b for b in sent if (b.get("content") or "").startswith("Answer #")))
    await drive.answer(thread, hall.alice, "Then list the charges, @everyone.")
    bob_id = await answer_id(drive, await drive.answer(thread, hall.bob, "Check idempotency keys."))
    carol = await drive.answer(thread, hall.carol, "Roll back the cron change.")
    carol_id = await answer_id(drive, carol)
    await drive.wait_ballot(thread, bob_id)
    await drive.wait_ballot(thread, carol_id)
    ballots = [m for m in drive.bot_messages(thread) if m["content"].startswith("Answer #")]
    assert len(ballots) == 3  # one ballot per answer, not per message (the rest: too-short notes)

    await fake.edit_message(first, "Mitigate first: pause the job and tell support.")
    await drive.until(lambda uow: "tell support" in answer_row(uow, alice_id).text)
    await fake.delete_message(carol)
    await drive.until(lambda uow: answer_row(uow, carol_id).withdrawn)

    custom_id = f"drillbot:vote:{alice_id}"
    for voter in (hall.bob, hall.carol):
        vote = await drive.click(ballot, custom_id, voter)
        assert vote.ephemeral and "Vote recorded for Alice's answer" in reply_of(vote)["content"]
    own = await drive.click(ballot, custom_id, hall.alice)
    assert own.ephemeral and reply_of(own)["content"] == "You cannot vote for your own answer."
    bob_ballot = drive.ballot(thread, bob_id)
    twice = [await drive.click(bob_ballot, f"drillbot:vote:{bob_id}", hall.carol) for _ in "12"]
    assert "withdrawn" in reply_of(twice[1])["content"]

    await drive.sweep(monday_morning + timedelta(hours=1) + DAY)
    results = (await drive.posts())["results:1"]
    assert results["status"] == "sent"
    sent = [
        r for r in fake.requests_to("POST", MESSAGES) if r.path.endswith(f"/{thread.id}/messages")
    ]
    assert_shape("results_post", sent[-1].json)
    embed = sent[-1].json["embeds"][0]
    assert embed["title"].startswith("Results: ")
    jump = f"https://discord.com/channels/{hall.guild.id}/{thread.id}/{first['id']}"
    assert "1. **Alice** (answer #1, 2 votes)" in embed["description"]
    assert jump in embed["description"]
    assert "@\u200beveryone" in embed["description"]  # member text is defanged
    names = [f["name"] for f in embed["fields"] if "(continued)" not in f["name"]]
    assert names == [
        "Senior bar",
        "Staff bar",
        "Red flags",
        "A strong answer sketch",
        "Follow-up questions",
    ]

    late = await drive.click(ballot, custom_id, hall.bob)
    assert late.ephemeral and "Voting has closed" in reply_of(late)["content"]
    assert_clean(fake)


async def test_bots_webhooks_and_channel_chatter_are_not_answers(
    drive: Drive, monday_morning: datetime
) -> None:
    hall, fake = drive.hall, drive.fake
    thread = await open_first_round(drive, monday_morning)
    robot = fake.add_member(hall.guild, "ci-bot")
    robot.user.bot = True
    await fake.member_says(thread, robot, "I am a bot answer")
    await fake.member_says(hall.channel, hall.alice, "chatter in the channel, not the thread")
    marker = await drive.answer(thread, hall.bob, "the only answer")
    stored = await drive.core.db.run(
        lambda uow: uow.connection.exec_driver_sql("SELECT count(*) FROM answers").scalar()
    )
    assert stored == 1 and await answer_id(drive, marker)


async def test_a_week_of_daily_posts_then_the_weekly_leaderboard(
    drive: Drive, monday_morning: datetime
) -> None:
    hall, fake = drive.hall, drive.fake
    thread = await open_first_round(drive, monday_morning)
    nine = monday_morning + timedelta(hours=1)
    for day in range(1, 7):  # Tuesday to Sunday: results of yesterday, today's drill
        who = hall.alice if day == 2 else hall.bob
        await drive.answer(thread, who, f"answer on day {day}: " + "a careful, specific step " * 4)
        await drive.sweep(nine + day * DAY)
        thread = drive.thread((await drive.posts())[f"drill:{day + 1}"]["thread_ref"])
    await drive.sweep(nine + 7 * DAY)  # Monday: the leaderboard for the week before

    posts = await drive.posts()
    assert all(p["status"] in ("sent", "skipped") for p in posts.values()), posts
    assert sum(key.startswith("drill:") for key in posts) == 8
    assert (
        sum(key.startswith("results:") and p["status"] == "sent" for key, p in posts.items()) == 7
    )
    assert len(fake.requests_to("POST", THREADS)) == 8
    board = posts["weekly:1:2026-11-23"]
    assert board["status"] == "sent"
    in_channel = drive.bot_messages(hall.channel)
    embed = next(m for m in in_channel if str(m["id"]) == board["message_ref"])["embeds"][0]
    assert embed["title"] == "Weekly leaderboard: 23 Nov–29 Nov"
    assert embed["description"].splitlines()[0].startswith("1. Bob: ")
    # The picture is attached and shown in the embed; its description states the rows in words.
    assert embed["image"]["url"].endswith("leaderboard-2026-11-23.png")
    message = next(m for m in in_channel if str(m["id"]) == board["message_ref"])
    [picture] = message["attachments"]
    assert picture["filename"] == "leaderboard-2026-11-23.png"
    assert picture["description"].startswith("Weekly leaderboard: 23 Nov–29 Nov, top ")
    assert "1. Bob: " in picture["description"] and "new in the top 10" in picture["description"]
    nonces = [r.json["nonce"] for r in fake.requests_to("POST", MESSAGES)]
    assert len(nonces) == len(set(nonces))
    assert_clean(fake)
