"""The Review button under a ballot, driven through the real runtime: the ephemeral rubric form,
points and read chosen in selects, Save or a note in a modal, the refusals (own answer, an answer
of another channel, forged or stale custom_ids), and the reviews in the round's results."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot.core.coach import Read, ReviewMark
from bot.core.services.reviews import COULD_NOT_SAVE
from tests.fakes.discord import FakeChannel, FakeInteraction, FakeMember
from tests.fakes.discord.messages import MessageSpec, build
from tests.platforms.discord_app.checks import assert_clean, assert_shape
from tests.platforms.discord_app.helpers import MESSAGES, Drive, answer_row, answered, reply_of
from tests.platforms.discord_app.test_faults import _within_deadline, write_locked
from tests.platforms.discord_app.test_week import DAY, answer_id, open_first_round

BUTTON, STRING_SELECT = 2, 3
UPDATE_MESSAGE, MODAL = 7, 9


@dataclass(frozen=True)
class Answered:
    thread: FakeChannel
    alice_id: int
    bob_id: int
    round_id: int
    ballot: dict[str, Any]  # under Alice's answer
    bob_ballot: dict[str, Any]


async def two_answers(drive: Drive, monday_morning: datetime) -> Answered:
    """Today's drill posted, then Alice and Bob answer in its thread."""
    hall = drive.hall
    thread = await open_first_round(drive, monday_morning)
    drive.clock.now = monday_morning + timedelta(hours=2)
    alice = await drive.answer(thread, hall.alice, "Mitigate first: pause the job, then refund.")
    bob = await drive.answer(thread, hall.bob, "Check the idempotency keys before retrying.")
    alice_id, bob_id = await answer_id(drive, alice), await answer_id(drive, bob)
    ballot = await drive.wait_ballot(thread, alice_id)
    bob_ballot = await drive.wait_ballot(thread, bob_id)
    round_id = await drive.core.db.run(lambda uow: answer_row(uow, alice_id).round_id)
    return Answered(thread, alice_id, bob_id, round_id, ballot, bob_ballot)


async def stored(drive: Drive, round_id: int) -> dict[int, list[ReviewMark]]:
    return await drive.core.db.run(lambda uow: uow.reviews.of_round(round_id))


def components(message: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every component of a message by custom_id."""
    rows = message.get("components") or []
    return {c["custom_id"]: c for row in rows for c in row.get("components") or []}


async def choose(
    drive: Drive, form: dict[str, Any], custom_id: str, member: FakeMember, values: list[str]
) -> FakeInteraction:
    record = await drive.fake.choose_select(form, custom_id, member, values)
    return await answered(record)


def forged(
    drive: Drive, channel: FakeChannel, custom_id: str, kind: int = BUTTON
) -> dict[str, Any]:
    """A message carrying a component whose custom_id a member made up."""
    component: dict[str, Any] = {"type": kind, "custom_id": custom_id}
    if kind == BUTTON:
        component.update(style=1, label="x")
    else:
        component.update(options=[{"label": str(n), "value": str(n)} for n in range(1, 10)])
    spec = MessageSpec(content="forged", components=[{"type": 1, "components": [component]}])
    return build(drive.fake.state, channel, drive.hall.alice.user, spec)


async def test_a_member_reviews_with_the_form_and_the_results_show_it(
    drive: Drive, monday_morning: datetime
) -> None:
    hall, fake = drive.hall, drive.fake
    day = await two_answers(drive, monday_morning)
    sent = [r.json for r in fake.requests_to("POST", MESSAGES)]
    assert_shape("ballot", next(b for b in sent if (b.get("content") or "").startswith("Answer #")))
    review_id = f"drillbot:review:{day.alice_id}"
    assert review_id in components(day.ballot)

    opened = await drive.click(day.ballot, review_id, hall.carol)
    assert opened.ephemeral and opened.response_type == 4
    assert_shape("review_form", opened.response_data)
    content = reply_of(opened)["content"]
    assert content.startswith("**Reviewing answer #1.**")
    rubric = content.splitlines()[1:]
    assert rubric[0].startswith("1. [") and len(rubric) >= 3
    form = drive.fake.message(opened.message or {})
    points = components(form)[f"drillbot:review-points:{day.alice_id}:unset"]
    assert points["min_values"] == 0 and points["max_values"] == len(rubric)
    assert [o["value"] for o in points["options"]] == [str(n) for n in range(1, len(rubric) + 1)]
    assert all(len(o["label"]) <= 100 for o in points["options"])
    read_id = f"drillbot:review-read:{day.alice_id}:none"
    assert [o["value"] for o in components(form)[read_id]["options"]] == [
        "staff",
        "senior",
        "not-yet",
    ]

    picked = await choose(drive, form, points["custom_id"], hall.carol, ["3", "1"])
    assert picked.response_type == UPDATE_MESSAGE
    form = drive.fake.message(form)
    chosen = components(form)[f"drillbot:review-points:{day.alice_id}:unset"]["options"]
    assert [o["default"] for o in chosen][:3] == [True, False, True]
    read = await choose(
        drive, form, f"drillbot:review-read:{day.alice_id}:1,3", hall.carol, ["senior"]
    )
    assert read.response_type == UPDATE_MESSAGE
    form = drive.fake.message(form)
    assert "Ready to save: points 1, 3; read senior." in form["content"]
    assert await stored(drive, day.round_id) == {}  # nothing saved before Save

    saved = await drive.click(form, f"drillbot:review-save:{day.alice_id}:1,3:senior", hall.carol)
    assert saved.ephemeral
    assert reply_of(saved)["content"].startswith("Saved your review of answer 1: points 1, 3 of ")
    [carol_mark] = (await stored(drive, day.round_id))[day.alice_id]
    assert carol_mark.points == {1, 3} and carol_mark.read is Read.SENIOR
    assert carol_mark.note is None

    # Bob reviews with a note: no points ticked, only the read, then the note modal.
    opened = await drive.click(day.ballot, review_id, hall.bob)
    form = drive.fake.message(opened.message or {})
    await choose(drive, form, f"drillbot:review-read:{day.alice_id}:none", hall.bob, ["staff"])
    form = drive.fake.message(form)
    note_id = f"drillbot:review-note:{day.alice_id}:none:staff"
    modal = await drive.click(form, note_id, hall.bob)
    assert modal.response_type == MODAL and modal.modal is not None
    assert modal.modal["custom_id"] == f"drillbot:review-modal:{day.alice_id}:none:staff"
    note = "Clear **rollback** plan, @everyone"
    submitted = await answered(
        await fake.submit_modal(modal.modal["custom_id"], hall.bob, {"note": note})
    )
    assert submitted.ephemeral
    assert "Saved your review of answer 1: points none of" in reply_of(submitted)["content"]
    marks = (await stored(drive, day.round_id))[day.alice_id]
    assert [(m.read, m.note) for m in marks] == [(Read.SENIOR, None), (Read.STAFF, note)]

    # Carol opens the form again: it starts from her review, and Save updates it.
    again = await drive.click(day.ballot, review_id, hall.carol)
    assert "Your review now: points 1, 3; read senior." in reply_of(again)["content"]
    form = drive.fake.message(again.message or {})
    assert f"drillbot:review-save:{day.alice_id}:1,3:senior" in components(form)

    await drive.sweep(monday_morning + timedelta(hours=1) + DAY)
    assert (await drive.posts())[f"results:{day.round_id}"]["status"] == "sent"
    in_thread = [
        r
        for r in fake.requests_to("POST", MESSAGES)
        if r.path.endswith(f"/{day.thread.id}/messages")
    ]
    fields = in_thread[-1].json["embeds"][0]["fields"]
    seen = "\n".join(f["value"] for f in fields if f["name"].startswith("What reviewers saw"))
    assert "rollback" in seen and "@everyone" not in seen and "**rollback**" not in seen
    late = await drive.click(day.ballot, review_id, hall.carol)
    assert late.ephemeral and "Reviews have closed" in reply_of(late)["content"]
    assert_clean(fake)


async def test_the_author_cannot_review_their_own_answer(
    drive: Drive, monday_morning: datetime
) -> None:
    day = await two_answers(drive, monday_morning)
    own = await drive.click(day.ballot, f"drillbot:review:{day.alice_id}", drive.hall.alice)
    assert own.ephemeral and "You cannot review your own answer" in reply_of(own)["content"]
    assert not components(reply_of(own))
    assert await stored(drive, day.round_id) == {}
    assert_clean(drive.fake)


async def test_an_answer_of_another_channel_is_refused_and_nothing_stored(
    drive: Drive, monday_morning: datetime
) -> None:
    day = await two_answers(drive, monday_morning)
    other = drive.fake.add_text_channel(drive.hall.guild, name="other-drills")
    await drive.admin("channel", channel=other)
    for custom_id in (
        f"drillbot:review:{day.alice_id}",
        f"drillbot:review-save:{day.alice_id}:1,2:staff",
    ):
        message = forged(drive, other, custom_id)
        record = await drive.click(message, custom_id, drive.hall.carol)
        assert record.ephemeral, record.callbacks
        assert "not in a drill of this channel" in reply_of(record)["content"]
    modal_id = f"drillbot:review-modal:{day.alice_id}:1:staff"
    record = await drive.fake.submit_modal(modal_id, drive.hall.carol, {"note": "x"}, channel=other)
    assert "not in a drill of this channel" in reply_of(await answered(record))["content"]
    assert await stored(drive, day.round_id) == {}
    assert_clean(drive.fake)


@pytest.mark.parametrize(
    ("custom_id", "kind", "values", "refusal"),
    [
        ("drillbot:review:abc", BUTTON, None, "out of date or not Drillbot's"),
        ("drillbot:review:1234567890123456789", BUTTON, None, "out of date or not Drillbot's"),
        ("drillbot:review-save:{id}:1,7:staff", BUTTON, None, "out of date or not Drillbot's"),
        ("drillbot:review-save:{id}:1:great", BUTTON, None, "out of date or not Drillbot's"),
        ("drillbot:review-note:{id}:1,2,3,4,5,6,1:staff", BUTTON, None, "out of date"),
        ("drillbot:review:0", BUTTON, None, "answer number is out of range"),
        ("drillbot:review-points:{id}:unset", STRING_SELECT, ["9"], "not on the review form"),
        ("drillbot:review-read:{id}:none", STRING_SELECT, ["1"], "not on the review form"),
        ("drillbot:review-points:{id}:staff", STRING_SELECT, list("1123456"), "not on the"),
    ],
)
async def test_forged_or_stale_review_ids_get_a_reply_not_a_traceback(
    drive: Drive,
    monday_morning: datetime,
    caplog: pytest.LogCaptureFixture,
    custom_id: str,
    kind: int,
    values: list[str] | None,
    refusal: str,
) -> None:
    day = await two_answers(drive, monday_morning)
    custom_id = custom_id.format(id=day.alice_id)
    message = forged(drive, day.thread, custom_id, kind)
    with caplog.at_level(logging.WARNING):
        if values is None:
            record = await drive.click(message, custom_id, drive.hall.carol)
        else:
            record = await choose(drive, message, custom_id, drive.hall.carol, values)
    assert record.ephemeral and refusal in reply_of(record)["content"], record.callbacks
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert await stored(drive, day.round_id) == {}


async def test_a_form_opened_before_a_restart_still_saves(
    drive: Drive, monday_morning: datetime
) -> None:
    hall = drive.hall
    day = await two_answers(drive, monday_morning)
    opened = await drive.click(day.bob_ballot, f"drillbot:review:{day.bob_id}", hall.alice)
    form = drive.fake.message(opened.message or {})
    note = await choose(
        drive, form, f"drillbot:review-read:{day.bob_id}:none", hall.alice, ["not-yet"]
    )
    assert note.response_type == UPDATE_MESSAGE
    modal = await drive.click(form, f"drillbot:review-note:{day.bob_id}:none:not-yet", hall.alice)
    assert modal.modal is not None
    await drive.runtime.stop()
    await drive.start()  # a new process: nothing of the form is in memory
    form = drive.fake.message(form)
    saved = await drive.click(form, f"drillbot:review-save:{day.bob_id}:none:not-yet", hall.alice)
    assert "Saved your review of answer 2" in reply_of(saved)["content"]
    noted = await drive.fake.submit_modal(modal.modal["custom_id"], hall.alice, {"note": "Why?"})
    assert "Updated your review of answer 2" in reply_of(await answered(noted))["content"]
    [mark] = (await stored(drive, day.round_id))[day.bob_id]
    assert mark.read is Read.NOT_YET and mark.note == "Why?" and not mark.points


async def test_a_locked_database_still_answers_every_step_of_the_form(
    drive: Drive, monday_morning: datetime, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's write lock")
    hall, fake = drive.hall, drive.fake
    day = await two_answers(drive, monday_morning)
    review_id = f"drillbot:review:{day.alice_id}"
    opened = await drive.click(day.ballot, review_id, hall.carol)
    form = fake.message(opened.message or {})
    await choose(drive, form, f"drillbot:review-read:{day.alice_id}:none", hall.carol, ["staff"])
    form = fake.message(form)
    await drive.core.db.run(lambda uow: uow.connection.exec_driver_sql("PRAGMA busy_timeout=2000"))
    points_id = f"drillbot:review-points:{day.alice_id}:staff"
    with write_locked(drive), caplog.at_level(logging.WARNING):
        shown = [
            await _within_deadline(await fake.click_button(day.ballot, review_id, hall.carol)),
            await _within_deadline(await fake.choose_select(form, points_id, hall.carol, ["2"])),
            await _within_deadline(
                await fake.click_button(
                    form, f"drillbot:review-save:{day.alice_id}:none:staff", hall.carol
                )
            ),
        ]
    assert shown == [COULD_NOT_SAVE] * 3
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert await stored(drive, day.round_id) == {}
    assert_clean(fake)
