from __future__ import annotations

import pytest

from bot.core.cards import SettingsCard
from bot.core.services.command_table import COMMANDS, help_text, top_level_words
from bot.core.services.commands import from_drill_command, handle_command
from tests.core.services.helpers import member, place, register, reload


async def run(core, who, text, now):  # type: ignore[no-untyped-def]
    return await handle_command(core, who, place(), text, "req", now)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("admin time 25:00", "not a time"),
        ("admin timezone Mars/Olympus", "not a time zone"),
        ("admin kinds", "'admin kinds' needs comma-separated kinds"),
        ("admin kinds nonsense", "Unknown kind"),
        ("admin days someday", "not a list of days"),
        ("admin window 0m", "between 10 minutes and 7 days"),
        (
            "admin colour blue",
            "Unknown admin command 'colour'. Admin commands: channel, show, time",
        ),
        ("admin time 09:00 10:00", "is not a time"),
    ],
)
async def test_invalid_values_are_refused_and_change_nothing(core, monday_morning, text, fragment):
    before = await register(core, monday_morning)
    reply = await run(core, member("alice", admin_=True), text, monday_morning)
    assert not reply.ok and fragment in reply.card.text  # type: ignore[union-attr]
    assert await reload(core) == before


async def test_non_admins_cannot_change_settings(core, monday_morning):
    before = await register(core, monday_morning)
    reply = await run(core, member("dave"), "admin time 10:00", monday_morning)
    assert not reply.ok and "admins" in reply.card.text  # type: ignore[union-attr]
    assert await reload(core) == before


async def test_admin_changes_settings_and_reschedules(core, monday_morning):
    await register(core, monday_morning)
    alice = member("alice", admin_=True)
    for text in (
        "admin timezone Pacific/Tongatapu",
        "admin time 07:15",
        "admin days mon-fri",
        "admin window 90m",
    ):
        assert (await run(core, alice, text, monday_morning)).ok, text
    channel = await reload(core)
    assert channel.settings.timezone == "Pacific/Tongatapu" and channel.settings.days == frozenset(
        range(5)
    )
    local = channel.next_post_at.astimezone(channel.settings.zone)  # type: ignore[union-attr]
    assert (local.hour, local.minute, local.weekday() < 5) == (7, 15, True)
    shown = await run(core, alice, "admin show", monday_morning)
    assert (
        isinstance(shown.card, SettingsCard)
        and shown.card.settings.answer_window.total_seconds() == 5400
    )


async def test_unknown_commands_and_unconfigured_channels_get_clear_replies(core, monday_morning):
    unknown = await run(core, member("bob"), "frobnicate", monday_morning)
    unconfigured = await run(core, member("bob"), "streak", monday_morning)
    listed = ", ".join(top_level_words())
    assert f"Unknown command 'frobnicate'. Commands: {listed}." == unknown.card.text  # type: ignore[union-attr]
    assert "not a drill channel" in unconfigured.card.text  # type: ignore[union-attr]
    kind = await register(core, monday_morning) and await run(
        core, member("bob"), "drill no-such-kind", monday_morning
    )
    assert not kind.ok and "no drill kind" in kind.card.text  # type: ignore[union-attr]


def test_slack_style_single_command_maps_to_the_grammar():
    assert from_drill_command("") == "drill"
    assert from_drill_command("migration-review") == "drill migration-review"
    assert from_drill_command("leaderboard all-time") == "leaderboard all-time"
    assert from_drill_command("admin time 09:00") == "admin time 09:00"


def test_every_command_in_the_table_reaches_slack_and_help():
    for command in COMMANDS:
        line = " ".join(command.words)
        assert from_drill_command(line) == line, line
    admin_help, member_help = help_text(with_admin=True), help_text(with_admin=False)
    for command in COMMANDS:
        assert command.usage() in admin_help
        assert (command.usage() in member_help) is not command.admin


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("vote", "'vote' needs the answer's number"),
        ("vote 1 2", "Too many words for 'vote'"),
        ("vote ١٢", "is not an answer number"),
        ("vote 99999999999999999999999", "out of range"),
        ("streak now", "Too many words for 'streak'"),
    ],
)
async def test_bad_arguments_are_refused_with_the_usage(core, monday_morning, text, fragment):
    await register(core, monday_morning)
    reply = await run(core, member("bob"), text, monday_morning)
    assert not reply.ok and fragment in reply.card.text  # type: ignore[union-attr]


async def test_admin_alone_lists_the_admin_commands_to_admins_only(core, monday_morning):
    await register(core, monday_morning)
    listed = await run(core, member("alice", admin_=True), "admin", monday_morning)
    refused = await run(core, member("bob"), "admin", monday_morning)
    names = [command.words[1] for command in COMMANDS if command.admin]
    assert listed.ok and all(name in listed.card.text for name in names)  # type: ignore[union-attr]
    assert not refused.ok and "Only server admins" in refused.card.text  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["streak", "drill next", "drill due", "profile"])
async def test_a_personal_read_is_one_unit_of_work(core, monday_morning, monkeypatch, text):
    """The channel lookup, the read and the member's news share one transaction."""
    await register(core, monday_morning)
    units = []
    real_run = core.db.run

    async def counted(work):  # type: ignore[no-untyped-def]
        units.append(work)
        return await real_run(work)

    monkeypatch.setattr(core.db, "run", counted)
    reply = await run(core, member("bob"), text, monday_morning)
    assert reply.ok and reply.private and len(units) == 1
    elsewhere = await handle_command(
        core, member("bob"), place(channel="C-other"), text, "r2", monday_morning
    )
    assert elsewhere.ok and len(units) == 2  # the member's home drill channel, found in the unit
