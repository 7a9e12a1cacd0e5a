"""Files through the real slack-sdk client: Slack has no ephemeral files, so an export goes to a
DM with the member through ``files_upload_v2`` (``files.getUploadURLExternal``, the upload POST,
``files.completeUploadExternal``), and the ephemeral reply says where it went."""

from __future__ import annotations

import io
import zipfile

from tests.platforms.slack_app.conftest import Driver


async def test_an_export_is_uploaded_to_a_dm_with_the_member(driver: Driver) -> None:
    await driver.command("alice", "admin channel")
    reply = await driver.command("bob", "streak export")
    assert reply is not None and reply.body["response_type"] == "ephemeral"
    assert "direct message" in reply.body["text"]
    [ask] = driver.fake.calls_to("files.getUploadURLExternal")
    assert ask.params["alt_txt"].startswith("A zip archive of Drillbot data")
    [upload] = driver.fake.uploads.values()
    assert upload.data is not None and len(upload.data) == int(ask.params["length"])
    assert zipfile.ZipFile(io.BytesIO(upload.data)).namelist() == [
        "answers.csv",
        "reviews.csv",
        "scores.csv",
    ]
    [done] = driver.fake.calls_to("files.completeUploadExternal")
    dm = driver.fake.open_dm(driver.users["bob"])
    assert done.params["channel_id"] == dm == upload.channel
    assert done.params["files"] == [{"id": upload.file_id, "title": upload.filename}]
    [message] = driver.fake.messages(dm)
    assert message.text.startswith("Drillbot export for bob")


async def test_admin_export_goes_to_the_admins_dm(driver: Driver) -> None:
    await driver.command("alice", "admin channel")
    reply = await driver.command("alice", "admin export json")
    assert reply is not None and "direct message" in reply.body["text"]
    [upload] = driver.fake.uploads.values()
    assert upload.channel == driver.fake.open_dm(driver.users["alice"])
    assert upload.data is not None
    assert "votes.json" in zipfile.ZipFile(io.BytesIO(upload.data)).namelist()


async def test_a_failed_upload_is_told_and_nothing_is_shared(driver: Driver) -> None:
    await driver.command("alice", "admin channel")
    driver.fake.fail_next("files.getUploadURLExternal", "missing_scope", needed="files:write")
    reply = await driver.command("bob", "streak export")
    assert reply is not None and "could not send you the file" in reply.body["text"]
    assert not driver.fake.calls_to("files.completeUploadExternal")


async def test_the_stats_card_is_a_png_in_a_dm_with_alt_text(driver: Driver) -> None:
    await driver.command("alice", "admin channel")
    reply = await driver.command("carol", "streak card")
    assert reply is not None and "direct message" in reply.body["text"]
    [ask] = driver.fake.calls_to("files.getUploadURLExternal")
    assert ask.params["alt_txt"].startswith("Stats card. carol: current streak 0")
    [upload] = driver.fake.uploads.values()
    assert upload.filename.endswith(".png") and upload.data is not None
    assert upload.data.startswith(b"\x89PNG")
