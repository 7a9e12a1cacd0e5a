"""4xx, not 500: commands with a missing option or an unknown sub-command, and forged button
numbers, each get an ephemeral explanation, never silence or an ERROR with a traceback."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.fakes.discord import FakeInteraction
from tests.fakes.discord.messages import MessageSpec, build
from tests.platforms.discord_app.checks import assert_clean
from tests.platforms.discord_app.helpers import Drive, answered, reply_of

BUTTON = 2


async def _explained(record: FakeInteraction) -> str:
    await answered(record)
    assert record.ephemeral, record.callbacks
    return str(reply_of(record)["content"])


async def test_a_missing_option_is_explained_with_the_usage(
    drive: Drive, caplog: pytest.LogCaptureFixture
) -> None:
    await drive.start()
    await drive.admin("channel")
    hall = drive.hall
    with caplog.at_level(logging.WARNING):
        record = await drive.fake.invoke_slash(
            hall.guild, hall.channel, hall.admin, "drill-admin", subcommand="time"
        )
        text = await _explained(record)
    assert "missing an option" in text and "Usage: /drill-admin time VALUE" in text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert_clean(drive.fake)


async def test_an_unknown_sub_command_is_explained(
    drive: Drive, caplog: pytest.LogCaptureFixture
) -> None:
    await drive.start()
    hall = drive.hall
    unknown = [{"type": 1, "name": "self-destruct", "options": []}]
    with caplog.at_level(logging.WARNING):
        record = await drive.fake.invoke_slash(
            hall.guild, hall.channel, hall.admin, "drill-admin", unknown
        )
        text = await _explained(record)
    assert "no command '/drill-admin self-destruct'" in text and "/drill-help" in text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def _forged(drive: Drive, custom_id: str) -> dict[str, Any]:
    """A message carrying a button whose custom_id a member made up."""
    row = {
        "type": 1,
        "components": [{"type": BUTTON, "style": 1, "label": "x", "custom_id": custom_id}],
    }
    spec = MessageSpec(content="forged", components=[row])
    return build(drive.fake.state, drive.hall.channel, drive.hall.alice.user, spec)


@pytest.mark.parametrize(
    ("custom_id", "refusal"),
    [
        ("drillbot:vote:999999999999999999", "answer number is out of range"),
        ("drillbot:vote:0", "answer number is out of range"),
        ("drillbot:answer:999999999999999999", "not one of Drillbot's"),
    ],
)
async def test_forged_button_numbers_are_refused(
    drive: Drive, custom_id: str, refusal: str, caplog: pytest.LogCaptureFixture
) -> None:
    await drive.start()
    await drive.admin("channel")
    with caplog.at_level(logging.WARNING):
        record = await drive.fake.click_button(_forged(drive, custom_id), custom_id, drive.hall.bob)
        text = await _explained(record)
    assert refusal in text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_an_answer_modal_opened_before_a_restart_is_still_answered(
    drive: Drive, monday_morning: datetime
) -> None:
    """discord.py drops a submit for a modal it does not know; Drillbot records it."""
    hall, fake = drive.hall, drive.fake
    await drive.start()
    await drive.admin("channel")
    await drive.sweep(monday_morning + timedelta(hours=1))
    post = (await drive.posts())["drill:1"]
    opened = await drive.click(fake.message(post["message_ref"]), "drillbot:answer:1", hall.bob)
    assert opened.modal is not None
    await drive.runtime.stop()
    await drive.start()  # a new process: the modal object is gone
    answer = {"answer": "Written before the restart, sent after it"}
    submitted = await fake.submit_modal(opened.modal["custom_id"], hall.bob, answer)
    assert "Recorded as answer #1" in await _explained(submitted)
    text = await drive.core.db.run(
        lambda uow: uow.connection.exec_driver_sql("SELECT text FROM answers").scalar()
    )
    assert text == answer["answer"]
