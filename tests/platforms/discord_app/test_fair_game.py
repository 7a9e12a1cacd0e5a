"""The fair-game rules through the real discord.py client against the fake Discord: short answers
are told why, votes by button stay in their channel, edits after the results change nothing,
and holidays, unskip and rest days work from slash commands."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.platforms.discord_app.checks import assert_clean
from tests.platforms.discord_app.helpers import Drive, answer_row, reply_of

LONG = "Freeze deploys, read the error budget, then roll back the canary and compare error rates."


async def test_short_answers_and_edits_after_the_results(
    drive: Drive, monday_morning: datetime
) -> None:
    hall, fake = drive.hall, drive.fake
    thread = await drive.first_drill(monday_morning + timedelta(hours=1))
    await drive.answer(thread, hall.carol, "too short")
    await fake.wait_until(
        lambda: any("earn no points" in m["content"] for m in drive.bot_messages(thread)), 10.0
    )
    said = await drive.answer(thread, hall.bob, LONG)
    await drive.sweep(monday_morning + timedelta(days=1, hours=1))
    await fake.edit_message(said, "rewritten after the results")
    await fake.wait_until(lambda: True, 0.5)
    text = await drive.core.db.run(lambda uow: answer_row(uow, 2).text)
    assert text == LONG  # the answer that was judged stays as it was
    assert_clean(fake)


async def test_holiday_unskip_and_rest_from_slash_commands(drive: Drive) -> None:
    await drive.start()
    await drive.admin("channel")
    holiday = await drive.slash(
        drive.hall.admin, "drill-admin", {"dates": "2026-11-24"}, subcommand="holiday"
    )
    assert not holiday.ephemeral and "Holidays: Tue 24 Nov" in reply_of(holiday)["content"]
    await drive.admin("skip")
    restored = await drive.admin("unskip")
    assert "back on" in reply_of(restored)["content"]
    rest = await drive.slash(drive.hall.bob, "streak-rest", {"days": "3d"})
    assert rest.ephemeral and reply_of(rest)["content"].startswith(
        "Rest days Mon 23 Nov–Wed 25 Nov"
    )
    assert_clean(drive.fake)
