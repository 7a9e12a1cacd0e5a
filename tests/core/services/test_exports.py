"""Exports: a channel's archive and a member's own, streamed, and read back into a fresh database
with the same standings."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timedelta

import pytest

from bot.core.archive import read_rows
from bot.core.cards import FileCard
from bot.core.model import Channel
from bot.core.services import commands, exports
from bot.core.services.context import Core
from bot.core.services.votes import toggle_vote
from bot.storage.archive_import import import_export
from bot.storage.engine import open_database
from bot.storage.migrate import upgrade
from bot.storage.uow import UnitOfWork
from tests.core.services.helpers import (
    PLATFORM,
    SPACE,
    answer,
    drill_threads,
    member,
    place,
    register,
    reload,
    tick,
)

DAY = timedelta(days=1)
WRITERS = ("bob", "carol", "dave")


async def fortnight(core: Core, platform, start: datetime) -> Channel:  # type: ignore[no-untyped-def]
    """Six daily rounds closed (a seventh open): members answer and vote for each other."""
    await register(core, start)
    for day in range(6):
        at = start + timedelta(hours=1) + day * DAY
        await tick(core, platform, at)
        thread = drill_threads(platform)[-1]
        receipts = {}
        for index, name in enumerate(WRITERS[: 2 + day % 2]):
            text = f'{name}\'s answer on day {day}, with a comma, and "quotes"\nand a line break'
            receipts[name] = await answer(core, member(name), thread, f"m{day}{index}", text, at)
        for voter, author in (("carol", "bob"), ("bob", "carol"), ("erin", "bob")):
            if receipts.get(author):
                await toggle_vote(
                    core, member(voter), place(thread), receipts[author].answer_id, at
                )
        note = 'clear, "calm" plan'  # a comma and quotes survive the round trip
        review = f"review 1 1,2 senior {note}"
        await commands.handle_command(core, member("erin"), place(thread), review, f"r{day}", at)
    await tick(core, platform, start + 7 * DAY)
    return await reload(core)


def _standings(uow: UnitOfWork, channel_ref: str) -> list[tuple[str, int, int, int]]:
    channel = uow.channels.find(PLATFORM, SPACE, channel_ref)
    assert channel is not None
    rows = uow.scores.standings(channel.id)
    return sorted((s.display_name, s.points, s.answers, s.votes) for s in rows)


@pytest.mark.parametrize("fmt", ["csv", "json"])
async def test_an_export_imported_into_a_fresh_database_has_the_same_standings(
    core, platform, monday_morning, tmp_path, fmt
):
    channel = await fortnight(core, platform, monday_morning)
    folder = tmp_path / "export"
    counts = await exports.export_to_folder(core, channel, fmt, folder)
    assert counts["rounds"] == 7 and counts["votes"] > 0 and counts["streak_events"] > 0
    assert counts["reviews"] == 6
    before = await core.db.run(lambda uow: _standings(uow, channel.channel_ref))
    assert len(before) == 4 and all(points > 0 for _, points, _, _ in before)  # erin reviewed

    fresh = open_database(f"sqlite:///{tmp_path}/fresh.db")
    await upgrade(fresh)
    try:

        def load(uow: UnitOfWork) -> tuple[list[tuple[str, int, int, int]], list[str]]:
            import_export(uow, folder, PLATFORM, SPACE, "imported", monday_morning)
            uow.commit()
            notes = [m.note or "" for ms in uow.reviews.of_round(1).values() for m in ms]
            return _standings(uow, "imported"), notes

        after, notes = await fresh.run(load)
    finally:
        await fresh.dispose()
    assert after == before
    assert notes == ['clear, "calm" plan']
    exported = sorted(
        (r["display_name"], int(r["points"]), int(r["answers"]), int(r["votes"]))
        for r in read_rows(folder / f"standings.{fmt}")
    )
    assert exported == before


async def test_admin_export_is_a_private_zip_of_every_file(core, platform, monday_morning):
    channel = await fortnight(core, platform, monday_morning)
    admin = member("alice", admin_=True)
    now = monday_morning + 8 * DAY
    reply = await commands.handle_command(core, admin, place(), "admin export json", "x1", now)
    assert reply.ok and reply.private and isinstance(reply.card, FileCard)
    assert reply.card.filename == f"drillbot-{channel.channel_ref}-2026-12-01.zip"
    names = zipfile.ZipFile(io.BytesIO(reply.card.data)).namelist()
    files = ("rounds", "answers", "votes", "reviews", "scores", "standings", "streak_events")
    assert names == [f"{n}.json" for n in files]
    assert "rounds 7" in reply.card.summary_text and "rounds 7" in reply.card.alt_text
    refused = await commands.handle_command(core, member("bob"), place(), "admin export", "x2", now)
    assert not refused.ok


async def test_a_member_export_holds_only_their_answers_and_scores(
    core, platform, monday_morning, tmp_path
):
    await fortnight(core, platform, monday_morning)
    now = monday_morning + 8 * DAY
    reply = await commands.handle_command(core, member("dave"), place(), "streak export", "x", now)
    assert reply.ok and isinstance(reply.card, FileCard)
    archive = zipfile.ZipFile(io.BytesIO(reply.card.data))
    assert archive.namelist() == ["answers.csv", "reviews.csv", "scores.csv"]
    archive.extractall(tmp_path)
    answers = list(read_rows(tmp_path / "answers.csv"))
    assert len(answers) == 3 and {row["user_ref"] for row in answers} == {"u-dave"}
    assert answers[0]["text"].endswith('"quotes"\nand a line break')
    assert {row["user_ref"] for row in read_rows(tmp_path / "scores.csv")} == {"u-dave"}
    bad = await commands.handle_command(
        core, member("dave"), place(), "streak export xml", "y", now
    )
    assert not bad.ok and "csv or json" in bad.card.text  # type: ignore[union-attr]
