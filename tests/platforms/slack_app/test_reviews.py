"""Rubric reviews by button on Slack: the real bolt app, the fake Slack and signed requests.

A daily drill, bob and carol answer in its thread; dave clicks Review under answer 1, the modal
lists the rubric, and his submission is stored and confirmed. The author, forged tickets and
malformed values are each answered, and the results show what reviewers saw.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from bot.core.coach import Read, ReviewMark
from bot.core.services.context import catalogue_for
from bot.storage.uow import UnitOfWork
from tests.fakes.slack import Message, block_actions, defaults, view_submission
from tests.platforms.slack_app.conftest import Driver, payload

BOB = "Pause the job, refund the duplicates, then add an idempotency key per period."
CAROL = "Check idempotency per customer and billing period, then tell support what to say."
NOTE = "Clear plan <!channel> & <b>rollback</b>"


async def _drill_with_two_answers(driver: Driver) -> Message:
    await driver.command("alice", "admin channel")
    await driver.advance(timedelta(hours=1))  # 09:00: the daily drill
    [drill] = driver.drills()
    await driver.say("bob", BOB, drill.ts)
    await driver.say("carol", CAROL, drill.ts)
    return drill


async def _click_review(driver: Driver, user: str, drill: Message, answer_id: int) -> Any:
    """``user`` clicks Review under an answer; the modal it opened, or None."""
    ballot = driver.vote_buttons(drill.ts, "review")[answer_id]
    opened = len(driver.fake.opened_views)
    await driver.click(user, "review", str(answer_id), ballot)
    return driver.fake.opened_views[-1] if len(driver.fake.opened_views) > opened else None


def _state(modal: dict[str, Any], points: list[str], read: str, note: str) -> dict[str, Any]:
    """What Slack sends back for the modal (the recorded shape), with these choices."""
    state = payload("review_view_state")
    options = _checkboxes(modal)["options"]
    state["points"]["ticked"]["selected_options"] = [o for o in options if o["value"] in points]
    state["read"]["read"]["selected_option"]["value"] = read
    state["note"]["note"]["value"] = note
    return state


def _checkboxes(modal: dict[str, Any]) -> dict[str, Any]:
    [points] = [b for b in modal["blocks"] if b.get("block_id") == "points"]
    return dict(points["element"])


async def _submit(
    driver: Driver, user: str, metadata: str, values: dict[str, Any], view_id: str
) -> dict[str, Any]:
    submission = view_submission(
        "review", metadata, values, user_id=driver.users[user], view_id=view_id
    )
    status, body = await driver.send(submission)
    assert status == 200
    return dict(json.loads(body)) if body else {}


def _notice(response: dict[str, Any]) -> str:
    assert response["response_action"] == "update"
    return str(response["view"]["blocks"][0]["text"]["text"])


async def _reviews(driver: Driver) -> dict[int, list[ReviewMark]]:
    def work(uow: UnitOfWork) -> dict[int, list[ReviewMark]]:
        answer = uow.answers.get(1)
        assert answer is not None
        return uow.reviews.of_round(answer.round_id)

    return await driver.core.db.run(work)


async def _rubric(driver: Driver) -> list[str]:
    def work(uow: UnitOfWork) -> list[str]:
        answer = uow.answers.get(1)
        round_ = uow.rounds.get(answer.round_id) if answer else None
        assert round_ is not None
        drill = catalogue_for(uow, driver.core, round_.channel_id).get(round_.drill_id)
        assert drill is not None
        return [point.point for point in drill.rubric]

    return await driver.core.db.run(work)


async def _member_id(driver: Driver, user: str) -> int:
    def work(uow: UnitOfWork) -> int:
        found = uow.members.find("slack", defaults.TEAM_ID, driver.users[user])
        assert found is not None
        return found

    return await driver.core.db.run(work)


async def test_a_review_by_button_is_stored_confirmed_and_shown_in_the_results(
    driver: Driver,
) -> None:
    drill = await _drill_with_two_answers(driver)
    ballot = driver.vote_buttons(drill.ts)[1]
    assert [b["text"]["text"] for b in ballot.blocks[1]["elements"]] == ["Vote", "Review"]
    modal = await _click_review(driver, "dave", drill, 1)
    assert modal is not None and modal["callback_id"] == "review"
    rubric = await _rubric(driver)
    options = _checkboxes(modal)["options"]
    assert [o["value"] for o in options] == [str(n) for n in range(1, len(rubric) + 1)]
    assert all(len(o["text"]["text"]) <= 75 for o in options)
    assert all(point.split("<")[0] in modal["blocks"][0]["text"]["text"] for point in rubric)
    values = _state(modal, ["1", "2"], "senior", NOTE)
    assert await _submit(driver, "dave", modal["private_metadata"], values, modal["id"]) == {}

    dave = await _member_id(driver, "dave")
    assert await _reviews(driver) == {1: [ReviewMark(dave, frozenset({1, 2}), Read.SENIOR, NOTE)]}
    told = [e for e in driver.fake.ephemerals if e.user == driver.users["dave"]][-1]
    assert told.text.startswith("Saved your review of answer 1: points 1, 2 of ")
    assert told.thread_ts == drill.ts and told.channel == driver.channel

    again = await _click_review(driver, "dave", drill, 1)  # the form shows his review
    assert [o["value"] for o in _checkboxes(again)["initial_options"]] == ["1", "2"]

    await driver.advance(timedelta(days=1))  # the round closes: its results in the thread
    results = driver.fake.thread(driver.channel, drill.ts)[-1]
    shown = "\n".join(b["text"]["text"] for b in results.blocks if b["type"] == "section")
    assert "*What reviewers saw*" in shown
    assert "&lt;b&gt;rollback&lt;/b&gt;" in shown and "<!channel>" not in shown


async def test_the_author_is_refused_and_nothing_opens(driver: Driver) -> None:
    drill = await _drill_with_two_answers(driver)
    assert await _click_review(driver, "bob", drill, 1) is None
    assert driver.ephemerals_to("bob")[-1].startswith("You cannot review your own answer")
    assert await _reviews(driver) == {}


async def test_forged_tickets_store_nothing_and_say_so(driver: Driver) -> None:
    drill = await _drill_with_two_answers(driver)
    modal = await _click_review(driver, "dave", drill, 1)
    answer, channel, team, ts = modal["private_metadata"].split(":")
    assert (answer, channel, team, ts) == ("1", driver.channel, defaults.TEAM_ID, drill.ts)
    lobby = driver.fake.add_channel("lobby")
    values = _state(modal, ["1"], "staff", "")
    other_channel = f"1:{lobby}:{team}:{ts}"
    refused = _notice(await _submit(driver, "dave", other_channel, values, modal["id"]))
    assert refused == "That answer is not in a drill of this channel; nothing was recorded."
    for forged in (f"1:{channel}:T0OTHERTEAM:{ts}", "1:C1:T1:1.1\n", "-1:C:T:", "1;C:T:", ""):
        response = await _submit(driver, "dave", forged, values, modal["id"])
        assert _notice(response).startswith("This review form is out of date or not from this")
    assert await _reviews(driver) == {}
    assert driver.fake.messages(lobby) == [] and not driver.ephemerals_to("dave")


async def test_malformed_values_are_answered_not_failed(driver: Driver) -> None:
    drill = await _drill_with_two_answers(driver)
    for value in ("", "\uff11", "0", "-1", "1e3", "99999999999999999999", "1 OR 1=1"):
        before = len(driver.ephemerals_to("erin"))
        click = block_actions(
            "review",
            value,
            user_id=driver.users["erin"],
            channel_id=driver.channel,
            message={"thread_ts": drill.ts},
        )
        assert (await driver.send(click))[0] == 200
        assert driver.ephemerals_to("erin")[before:] == [
            "That review button is out of date; nothing was recorded."
        ]
    modal = await _click_review(driver, "erin", drill, 2)
    metadata, view_id = modal["private_metadata"], modal["id"]
    bad_point = _state(modal, [], "staff", "")
    bad_point["points"]["ticked"]["selected_options"] = [{"value": "7; DROP TABLE reviews"}]
    response = await _submit(driver, "erin", metadata, bad_point, view_id)
    assert response["response_action"] == "errors" and set(response["errors"]) == {"points"}
    bad_read = _state(modal, ["1"], "brilliant", "")
    response = await _submit(driver, "erin", metadata, bad_read, view_id)
    assert response["errors"] == {"read": "Choose a read: staff, senior or not yet."}
    past_the_rubric = _state(modal, [], "staff", "")
    past_the_rubric["points"]["ticked"]["selected_options"] = [{"value": "9"}]
    beyond = _notice(await _submit(driver, "erin", metadata, past_the_rubric, view_id))
    assert beyond.startswith("Points are numbers from 1 to ")
    assert await _reviews(driver) == {}
    none_ticked = _state(modal, [], "not-yet", "")
    assert await _submit(driver, "erin", metadata, none_ticked, view_id) == {}
    assert driver.ephemerals_to("erin")[-1].startswith("Saved your review of answer 2: points none")
