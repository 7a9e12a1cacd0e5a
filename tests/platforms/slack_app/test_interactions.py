"""On-demand drills (ephemeral post, Answer button, modal, reveal) and the App Home tab."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.storage.tables import answer_messages
from tests.fakes.slack import app_home_opened_event, block_actions, event_callback, view_submission
from tests.platforms.slack_app.conftest import Driver


async def _registered(driver: Driver) -> None:
    assert await driver.command("alice", "admin channel") is None


async def _ask_for_drill(
    driver: Driver, user: str, text: str = "drill design-warmup"
) -> dict[str, Any]:
    reply = await driver.command(user, text)
    assert reply is not None and reply.body["response_type"] == "ephemeral"
    return reply.body


def _answer_button(body: dict[str, Any]) -> dict[str, Any]:
    (actions,) = [block for block in body["blocks"] if block["type"] == "actions"]
    button = actions["elements"][0]
    assert button["action_id"] == "answer"
    return dict(button)


async def _click_answer(driver: Driver, user: str, round_id: str) -> dict[str, Any]:
    opened = len(driver.fake.opened_views)
    click = block_actions(
        "answer",
        round_id,
        user_id=driver.users[user],
        channel_id=driver.channel,
        container={"type": "message", "channel_id": driver.channel, "is_ephemeral": True},
        response_url=driver.fake.new_response_url(),
    )
    assert (await driver.send(click))[0] == 200
    assert len(driver.fake.opened_views) == opened + 1
    return driver.fake.opened_views[-1]


async def _submit(driver: Driver, user: str, view: dict[str, Any], text: str) -> dict[str, Any]:
    submission = view_submission(
        "answer",
        view["private_metadata"],
        {"answer": {"text": text}},
        user_id=driver.users[user],
        view_id=view["id"],
    )
    status, body = await driver.send(submission)
    assert status == 200
    return dict(json.loads(body))


async def test_an_on_demand_drill_is_answered_in_a_modal_and_revealed(driver: Driver) -> None:
    await _registered(driver)
    body = await _ask_for_drill(driver, "carol")
    assert body["blocks"][0]["type"] == "header" and body["text"]
    button = _answer_button(body)
    modal = await _click_answer(driver, "carol", button["value"])
    assert (modal["callback_id"], modal["private_metadata"]) == ("answer", button["value"])
    assert modal["blocks"][-1]["type"] == "input"
    response = await _submit(driver, "carol", modal, "Ask who the users are, then size storage.")
    assert response["response_action"] == "update"
    assert response["view"]["blocks"][0]["text"]["text"].startswith("Thanks for practising")
    async with driver.core.db.engine.connect() as connection:
        refs = (await connection.execute(select(answer_messages.c.message_ref))).scalars().all()
    assert refs == [f"modal:{modal['id']}"]
    again = await _submit(driver, "carol", modal, "Ask who the users are, then size storage.")
    assert again["view"]["blocks"][0]["text"]["text"].startswith("Nothing new was recorded")


async def test_someone_elses_answer_button_and_an_empty_answer_are_refused(driver: Driver) -> None:
    await _registered(driver)
    button = _answer_button(await _ask_for_drill(driver, "carol", "design-warmup"))
    stranger = await _click_answer(driver, "bob", button["value"])
    assert "not yours" in json.dumps(stranger["blocks"])
    modal = await _click_answer(driver, "carol", button["value"])
    empty = await _submit(driver, "carol", modal, "   ")
    assert empty == {"response_action": "errors", "errors": {"answer": "Write an answer first."}}
    stale = await _click_answer(driver, "carol", "not-a-number")
    assert "out of date" in json.dumps(stale["blocks"])


async def test_the_home_tab_shows_the_member_and_offers_a_drill(driver: Driver) -> None:
    bob = driver.users["bob"]
    await driver.send(event_callback(app_home_opened_event(user=bob)))
    assert "No drill channel here yet" in json.dumps(driver.fake.home_views[bob]["blocks"])
    await _registered(driver)
    await driver.advance(timedelta(hours=1))  # Mon 09:00: the daily drill
    await driver.say(
        "bob",
        "Check the scheduler's time zone handling, " + "then the logs " * 5,
        driver.drills()[0].ts,
    )
    await driver.send(event_callback(app_home_opened_event(user=bob)))
    home = driver.fake.home_views[bob]
    text = json.dumps(home["blocks"], ensure_ascii=False)
    assert "*Streak:* 1 day (longest 1)" in text and "*Points this week:* 2" in text
    assert "(daily drill) · 0 votes" in text
    actions = next(block for block in home["blocks"] if block["type"] == "actions")
    assert actions["elements"][0] == {**actions["elements"][0], "value": driver.channel}
    click = block_actions("home_drill", driver.channel, user_id=bob, view=home)
    assert (await driver.send(click))[0] == 200
    modal = driver.fake.opened_views[-1]
    assert modal["callback_id"] == "answer"
    reveal = await _submit(driver, "bob", modal, "Start from the read path and its latency budget.")
    assert reveal["view"]["blocks"][0]["text"]["text"].startswith("Thanks for practising")


async def test_the_home_tab_of_other_tabs_is_left_alone(driver: Driver) -> None:
    await driver.send(
        event_callback(app_home_opened_event(user=driver.users["bob"], tab="messages"))
    )
    assert driver.fake.home_views == {}
