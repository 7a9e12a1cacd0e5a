"""Nobody is left in silence on Slack: a fault only an admin can fix is retried with a long
backoff and told once, by DM to the configured admins (and the installer), and on the App Home
tab with the fix in words; the vote button under an answer is retried until it goes out."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.fakes.slack import app_home_opened_event, event_callback
from tests.platforms.slack_app.conftest import Driver

LISTED = "U0LISTEDADM"  # DRILLBOT_SLACK_ADMINS in the driver's settings


def _dms(driver: Driver) -> list[str]:
    return [m.text for m in driver.fake.messages(driver.fake.open_dm(LISTED))]


@pytest.mark.parametrize(
    ("error", "fix"),
    [
        ("account_inactive", "Reinstall the Slack app"),
        ("invalid_auth", "Reinstall the Slack app"),
        ("channel_not_found", "invite @Drillbot to it"),
        ("missing_scope", "Add the chat:write scope"),
    ],
)
async def test_admins_are_told_once_and_the_post_is_retried(
    driver: Driver, error: str, fix: str
) -> None:
    driver.fake.add_user("lister", user_id=LISTED)
    await driver.command("alice", "admin channel")
    driver.fake.fail_next("chat.postMessage", error, needed="chat:write", count=1)
    await driver.advance(timedelta(hours=1))
    driver.fake.fail_next("chat.postMessage", error, needed="chat:write", count=1)
    await driver.advance(timedelta(minutes=30))  # the second attempt fails the same way
    [dm] = _dms(driver)
    assert f"<#{driver.channel}>" in dm and error in dm and fix in dm
    job = await driver.core.db.run(lambda uow: uow.posts.get("drill:1"))
    assert job is not None and job.status == "pending" and job.attempts == 2
    assert job.next_attempt_at == driver.clock.now + timedelta(hours=1)
    await driver.send(event_callback(app_home_opened_event(user=driver.users["bob"])))
    home = json.dumps(driver.fake.home_views[driver.users["bob"]]["blocks"])
    assert "Drillbot cannot post in" in home and fix in home
    await driver.advance(timedelta(hours=1))  # fixed meanwhile: posted, and the banner goes
    assert len(driver.drills()) == 1 and len(_dms(driver)) == 1
    await driver.send(event_callback(app_home_opened_event(user=driver.users["bob"])))
    home = json.dumps(driver.fake.home_views[driver.users["bob"]]["blocks"])
    assert "Drillbot cannot post in" not in home


async def test_not_in_a_private_channel_tells_the_admin_how_to_invite(driver: Driver) -> None:
    driver.fake.add_user("lister", user_id=LISTED)
    secret = driver.fake.add_channel("secret", bot_member=False, private=True)
    await driver.command("alice", "admin channel", channel=secret)
    await driver.advance(timedelta(hours=2))
    [dm] = _dms(driver)
    assert "Invite @Drillbot to #secret." in dm


async def test_a_vote_button_refused_now_is_posted_later(driver: Driver) -> None:
    await driver.command("alice", "admin channel")
    await driver.advance(timedelta(hours=1))
    [drill] = driver.drills()
    driver.fake.fail_next("chat.postMessage", "internal_error", status=500)
    await driver.say("bob", "Roll back first.", drill.ts)
    assert driver.vote_buttons(drill.ts) == {}
    await driver.advance(timedelta(seconds=20))
    assert sorted(driver.vote_buttons(drill.ts)) == [1]
