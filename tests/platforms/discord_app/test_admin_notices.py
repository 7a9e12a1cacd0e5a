"""Telling a server's admins about a problem: its system channel if Drillbot may post there,
else a DM to the admin who set the drill channel up; once per problem (the nonce)."""

from __future__ import annotations

import pytest

from bot.core.cards import Notice
from bot.core.ports import SendFailed
from bot.platforms.discord_app.runtime import DiscordRuntime
from tests.fakes.discord import permissions as perm
from tests.platforms.discord_app.checks import assert_clean
from tests.platforms.discord_app.helpers import Drive

NOTICE = Notice(
    "Drillbot could not post today's drill in #daily-drills (Discord refused the post, 50013): "
    "grant it Send Messages there."
)


def _texts(messages: list[dict[str, object]]) -> list[object]:
    return [m["content"] for m in messages]


async def test_a_notice_goes_to_the_system_channel_once(drive: Drive) -> None:
    runtime = await drive.start()
    guild, admin = drive.hall.guild, drive.hall.admin
    for _ in range(2):  # the same problem told twice is one message
        posted = await runtime.platform.notify_admins(
            str(guild.id), str(admin.id), NOTICE, "problem:1"
        )
    assert _texts(drive.bot_messages(drive.hall.channel)) == [NOTICE.text]
    assert posted.message_ref == drive.bot_messages(drive.hall.channel)[0]["id"]
    assert_clean(drive.fake)


async def test_without_the_system_channel_the_admin_gets_a_dm(drive: Drive) -> None:
    runtime = await drive.start()
    guild, admin, fake = drive.hall.guild, drive.hall.admin, drive.fake
    await _close_the_system_channel(drive, runtime)
    await runtime.platform.notify_admins(str(guild.id), str(admin.id), NOTICE, "problem:2")
    assert drive.bot_messages(drive.hall.channel) == []
    assert _texts(drive.bot_messages(fake.dm_channel(admin))) == [NOTICE.text]
    assert_clean(fake)


async def test_with_nowhere_to_tell_the_notice_fails_for_good(drive: Drive) -> None:
    runtime = await drive.start()
    await _close_the_system_channel(drive, runtime)
    with pytest.raises(SendFailed) as failed:
        await runtime.platform.notify_admins(str(drive.hall.guild.id), None, NOTICE, "problem:3")
    assert failed.value.permanent


async def _close_the_system_channel(drive: Drive, runtime: DiscordRuntime) -> None:
    """Deny Drillbot Send Messages in the system channel, and wait until discord.py knows."""
    drive.fake.set_bot_permissions(drive.hall.channel, deny=perm.SEND_MESSAGES)
    assert runtime.client is not None
    guild = runtime.client.get_guild(drive.hall.guild.id)
    assert guild is not None and guild.system_channel is not None
    system = guild.system_channel
    await drive.fake.wait_until(lambda: not system.permissions_for(guild.me).send_messages)
