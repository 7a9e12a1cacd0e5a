"""Files through the real discord.py client: an export arrives as an ephemeral attachment, sent
as multipart (``payload_json`` plus ``files[0]``) with its alt text as the description."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timedelta

from tests.platforms.discord_app.checks import assert_clean
from tests.platforms.discord_app.helpers import Drive, reply_of


def _uploads(drive: Drive) -> list:  # type: ignore[type-arg]
    return [r for r in drive.fake.requests if r.files]


async def test_an_export_is_an_ephemeral_attachment_with_a_description(
    drive: Drive, monday_morning: datetime
) -> None:
    thread = await drive.first_drill(monday_morning + timedelta(hours=1))
    await drive.answer(thread, drive.hall.bob, "An answer worth exporting: " + "detail " * 12)
    record = await drive.slash(drive.hall.bob, "streak-export")
    assert record.ephemeral
    message = reply_of(record)
    [attachment] = message["attachments"]
    assert attachment["filename"].endswith(".zip")
    assert attachment["description"].startswith("A zip archive of Drillbot data")
    assert message["content"].startswith("Drillbot export for Bob")
    [upload] = _uploads(drive)
    body = upload.json.get("data") or upload.json  # a callback wraps the message in "data"
    assert body["attachments"][0]["description"] == attachment["description"]
    [part] = upload.files
    assert part.field == "files[0]" and part.filename == attachment["filename"]
    names = zipfile.ZipFile(io.BytesIO(part.data)).namelist()
    assert names == ["answers.csv", "reviews.csv", "scores.csv"]
    assert_clean(drive.fake)


async def test_admin_export_goes_to_the_admin_alone(drive: Drive, monday_morning: datetime) -> None:
    await drive.start()
    await drive.admin("channel")
    record = await drive.slash(
        drive.hall.admin, "drill-admin", {"format": "json"}, subcommand="export"
    )
    assert record.ephemeral
    [attachment] = reply_of(record)["attachments"]
    [upload] = _uploads(drive)
    names = zipfile.ZipFile(io.BytesIO(upload.files[0].data)).namelist()
    assert "votes.json" in names and "streak_events.json" in names
    assert attachment["filename"] == upload.files[0].filename
    assert_clean(drive.fake)


async def test_the_stats_card_is_an_ephemeral_png_with_alt_text(drive: Drive) -> None:
    await drive.start()
    await drive.admin("channel")
    record = await drive.slash(drive.hall.bob, "streak-card")
    assert record.ephemeral
    message = reply_of(record)
    [attachment] = message["attachments"]
    assert attachment["filename"].endswith(".png")
    assert attachment["description"].startswith("Stats card. Bob: current streak 0 drill days")
    assert "Last 26 weeks: 0 drill days answered" in message["content"]
    [upload] = _uploads(drive)
    assert upload.files[0].data.startswith(b"\x89PNG") and upload.files[0].content_type
    assert_clean(drive.fake)
