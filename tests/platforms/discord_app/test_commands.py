"""Slash commands, the answer modal and on-demand drills through the real runtime."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest

from bot.core.services.command_table import admin_commands
from bot.scheduling import DrillScheduler
from tests.fakes.discord import permissions as perm
from tests.fakes.discord.interactions import APPLICATION_COMMAND, new_interaction
from tests.fakes.discord.serialize import interaction_channel, user
from tests.platforms.discord_app.checks import assert_clean, assert_shape
from tests.platforms.discord_app.helpers import (
    MESSAGES,
    Drive,
    answered,
    embed_of,
    payload,
    reply_of,
)

ADMIN_CHANGES = [
    ("time", "10:30", "Post time: 10:30 UTC"),
    ("timezone", "Europe/Berlin", "Post time: 10:30 Europe/Berlin"),
    ("days", "mon-fri", "on mon,tue,wed,thu,fri"),
    ("kinds", "live-debugging", "Kinds: live-debugging"),
    ("window", "90m", "Answer window: 1h30m"),
    ("weekly-day", "fri", "Weekly leaderboard: fri 09:00"),
    ("weekly-time", "18:00", "Weekly leaderboard: fri 18:00"),
    ("pause", None, "Paused: yes"),
    ("resume", None, "Paused: no"),
]


async def test_commands_are_synced_globally_with_admin_gated(drive: Drive) -> None:
    await drive.start()
    commands = {c.name: c.payload for c in drive.fake.commands()}
    assert set(commands) == {
        "drill",
        "drill-next",
        "drill-due",
        "review",
        "profile",
        "profile-delete",
        "profile-export",
        "streak",
        "streak-rest",
        "streak-card",
        "streak-export",
        "leaderboard",
        "answer",
        "ask",
        "drill-help",
        "drill-admin",
    }
    [text] = commands["answer"]["options"]
    assert text["name"] == "text" and text["required"] is True
    assert commands["drill-admin"]["default_member_permissions"] == perm.MANAGE_GUILD
    assert commands["drill-admin"]["dm_permission"] is False
    kinds = [c["value"] for c in commands["drill"]["options"][0]["choices"]]
    assert kinds == drive.core.bank.kinds()
    periods = commands["leaderboard"]["options"][0]
    assert periods["name"] == "period" and [c["value"] for c in periods["choices"]] == [
        "week",
        "all-time",
    ]
    subcommands = [option["name"] for option in commands["drill-admin"]["options"]]
    assert subcommands == [command.words[1] for command in admin_commands()]


async def test_a_development_guild_gets_the_commands_instantly(drive: Drive) -> None:
    settings = drive.settings.model_copy(update={"guild_id": drive.hall.guild.id})
    await drive.start(settings=settings)
    assert {c.name for c in drive.fake.commands(drive.hall.guild)} >= {"drill", "drill-admin"}


async def test_every_admin_setting_changes_and_answers_in_public(drive: Drive) -> None:
    await drive.start()
    await drive.admin("channel")
    for sub, value, expected in ADMIN_CHANGES:
        record = await drive.admin(sub, value)
        content = reply_of(record)["content"]
        assert not record.ephemeral and expected in content, (sub, content)
    show = await drive.admin("show")
    assert show.ephemeral and "Post time: 10:30 Europe/Berlin" in embed_of(show)["description"]
    bad = await drive.admin("time", "25:00")
    assert bad.ephemeral and "is not a time" in reply_of(bad)["content"]
    skipped = await drive.admin("skip")
    assert "will be skipped" in reply_of(skipped)["content"]
    assert_clean(drive.fake)


async def test_post_now_is_posted_within_two_seconds_with_an_hourly_sweep(drive: Drive) -> None:
    runtime = await drive.start()
    scheduler = DrillScheduler(
        drive.core, {"discord": runtime.platform}, sweep_seconds=3600, clock=drive.clock
    )
    await scheduler.start()
    try:
        await drive.admin("channel")
        record = await drive.admin("post-now")
        assert reply_of(record)["content"] == "Posting today's drill now." and record.ephemeral
        async with asyncio.timeout(2.0):  # the core's wake signal, not the hourly sweep
            while (await drive.posts()).get("drill:1", {}).get("status") != "sent":
                await asyncio.sleep(0.02)
        again = await drive.admin("post-now")
        assert "not posted twice" in reply_of(again)["content"]
        drills = [m for m in drive.bot_messages(drive.hall.channel) if m["embeds"]]
        assert len(drills) == 1
    finally:
        await scheduler.stop()


async def test_admin_commands_are_refused_to_members_without_manage_server(drive: Drive) -> None:
    await drive.start()
    with pytest.raises(PermissionError):  # hidden from members by default_member_permissions
        await drive.slash(drive.hall.alice, "drill-admin", subcommand="channel")
    for command in drive.fake.commands():  # a server admin grants the command to everyone
        command.payload["default_member_permissions"] = None
    refused = await drive.slash(drive.hall.alice, "drill-admin", subcommand="channel")
    assert refused.ephemeral and "Only server admins" in reply_of(refused)["content"]
    assert not await drive.posts()
    assert_clean(drive.fake)


async def test_member_commands_outside_a_drill_channel_get_a_clear_reply(drive: Drive) -> None:
    await drive.start()
    record = await drive.slash(drive.hall.alice, "streak")
    assert record.ephemeral and "not a drill channel yet" in reply_of(record)["content"]


async def test_streak_and_leaderboards(drive: Drive, monday_morning: datetime) -> None:
    thread = await drive.first_drill(monday_morning + timedelta(hours=1))
    await drive.answer(
        thread, drive.hall.bob, "An answer that counts for the streak: " + "detail " * 8
    )
    streak = await drive.slash(drive.hall.bob, "streak")
    assert streak.ephemeral and reply_of(streak)["content"].startswith("Bob: streak 1 day")
    week = await drive.slash(drive.hall.alice, "leaderboard")
    assert "1. Bob: 2 points" in embed_of(week)["description"]
    ever = await drive.slash(drive.hall.alice, "leaderboard", {"period": "all-time"})
    assert embed_of(ever)["title"] == "All-time leaderboard"
    assert_clean(drive.fake)


async def test_on_demand_drill_answered_in_the_modal_shows_the_reveal(drive: Drive) -> None:
    hall, fake = drive.hall, drive.fake
    await drive.start()
    await drive.admin("channel")
    anything = await drive.slash(hall.bob, "drill")
    assert anything.ephemeral and embed_of(anything)["author"]["name"] == "For Bob"
    record = await drive.slash(hall.alice, "drill", {"kind": "live-debugging"})
    assert_shape("on_demand_reply", record.callbacks[0])
    embed = embed_of(record)
    assert record.ephemeral and embed["footer"]["text"].startswith("Live debugging")
    assert embed["author"]["name"] == "For Alice"
    button = record.message["components"][0]["components"][0]
    assert button["label"] == "Answer"
    opened = await drive.click(record.message, button["custom_id"], hall.alice)
    assert opened.response_type == 9 and opened.modal is not None
    assert opened.modal["title"].startswith("Answer: ")
    submitted = await answered(
        await fake.submit_modal(opened.modal["custom_id"], hall.alice, {"answer": "Roll back."})
    )
    assert submitted.ephemeral and embed_of(submitted)["title"].startswith("Thanks for practising")
    assert not fake.requests_to("POST", MESSAGES)  # on-demand drills post nothing in public
    assert_clean(fake)


async def test_a_slow_core_call_is_deferred_then_followed_up(drive: Drive) -> None:
    await drive.start(defer_after=0.0)
    await drive.admin("channel")
    record = await drive.slash(drive.hall.alice, "streak")
    assert record.response_type == 5 and record.ephemeral
    assert record.followups[0]["content"].startswith("Alice: streak 0 days")
    assert not record.followups[0]["flags"] & 128  # no longer "thinking"
    assert_clean(drive.fake)


async def test_commands_in_a_dm_say_drillbot_works_in_server_channels(drive: Drive) -> None:
    fake, alice = drive.fake, drive.hall.alice
    await drive.start()
    dm = fake.dm_channel(alice)
    record = new_interaction(fake.state, APPLICATION_COMMAND, alice, dm, command_name="streak")
    streak = next(c for c in fake.commands() if c.name == "streak")
    record.payload = payload("dm_slash")
    record.payload.update(id=str(record.id), token=record.token, user=user(alice.user))
    record.payload.update(application_id=str(fake.application_id), channel_id=str(dm.id))
    record.payload["channel"] = interaction_channel(fake.state, dm, alice)
    record.payload["data"].update(id=str(streak.id), name="streak")
    fake._ctx.interactions[record.id] = record  # the fake's invoke_slash builds guild payloads only
    await fake.dispatch("INTERACTION_CREATE", record.payload)
    await answered(record)
    assert record.ephemeral and "works in server channels" in reply_of(record)["content"]


async def test_ask_answers_facts_privately_in_the_drill_thread(
    drive: Drive, monday_morning: datetime
) -> None:
    await drive.start()
    await drive.admin("channel")
    await drive.admin("kinds", "design-warmup")  # every warm-up keeps its figures in facts
    await drive.sweep(monday_morning + timedelta(hours=1))
    post = (await drive.posts())["drill:1"]
    thread = drive.thread(post["thread_ref"])
    drill_id = await drive.core.db.run(lambda uow: uow.rounds.get(1).drill_id)  # type: ignore[union-attr]
    fact = drive.core.bank.drills[drill_id].facts[0]
    menu = await drive.slash(drive.hall.bob, "ask", channel=thread)
    assert menu.ephemeral and f"1. {fact.ask}" in reply_of(menu)["content"]
    answered = await drive.slash(drive.hall.bob, "ask", {"question": "1"}, channel=thread)
    assert answered.ephemeral
    assert reply_of(answered)["content"] == f"Q1: {fact.ask}\nA: {fact.answer}"
    assert_clean(drive.fake)
