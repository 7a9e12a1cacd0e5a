"""Multi-workspace install with Bolt's own OAuth flow; tokens live in slack_sdk's SQLAlchemy
installation store on the bot's database, and posts use the token of the channel's workspace."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from pydantic import SecretStr

from bot.core.cards import Notice
from bot.core.ports import SendFailed
from bot.core.services.context import Core
from bot.platforms.slack_app.runtime import SlackRuntime, SlackSetupError, choose_mode
from bot.storage.tables import slack_bots, slack_installations, slack_oauth_states
from tests.fakes.slack import FakeSlack
from tests.platforms.slack_app.conftest import Clock, Driver, slack_settings
from tests.support.rows import count_rows


@pytest.fixture
async def oauth_driver(
    core: Core, database: Any, fake: FakeSlack, clock: Clock, http: aiohttp.ClientSession
) -> AsyncIterator[Driver]:
    settings = slack_settings(
        fake,
        bot_token=None,
        client_id=fake.client_id,
        client_secret=SecretStr(fake.client_secret),
    )
    runtime = SlackRuntime(core, settings, database.engine, clock=clock, pace_seconds=0.0)
    await runtime.start()
    try:
        users = {"alice": fake.add_user("alice", admin=True), "bob": fake.add_user("bob")}
        yield Driver(fake, core, runtime, clock, http, fake.add_channel("drills"), users)
    finally:
        await runtime.stop()
    fake.assert_no_violations()


async def _install(driver: Driver) -> str:
    async with driver.http.get(f"{driver.url}/slack/install") as page:
        assert page.status == 200
        html, cookie = await page.text(), page.headers["Set-Cookie"]
    state = re.search(r"state=([\w-]+)", html)
    assert state is not None and "scope=channels:history,channels:join," in html
    code = driver.fake.add_oauth_code(installer=driver.users["alice"])
    headers = {"Cookie": cookie.split(";")[0]}
    redirect = f"{driver.url}/slack/oauth_redirect?code={code}&state={state[1]}"
    async with driver.http.get(redirect, headers=headers) as done:
        assert done.status == 200, await done.text()
    (exchange,) = driver.fake.calls_to("oauth.v2.access")
    assert (exchange.header("Authorization") or "").startswith("Basic ")
    token = exchange.response["access_token"]
    assert isinstance(token, str)
    return token


# slack_sdk passes aiohttp.BasicAuth for oauth.v2.access, which aiohttp 3.12+ deprecates.
@pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")
async def test_install_then_act_and_post_with_the_installed_token(
    oauth_driver: Driver, database: Any
) -> None:
    driver = oauth_driver
    token = await _install(driver)
    assert await count_rows(database, slack_installations) == 1
    assert await count_rows(database, slack_bots) == 1
    assert await count_rows(database, slack_oauth_states) == 0  # the state was used up
    assert await driver.command("alice", "admin channel") is None
    await driver.advance(timedelta(hours=1))
    posts = driver.fake.calls_to("chat.postMessage")
    assert len(driver.drills()) == 1 and {call.token for call in posts} == {token}


async def test_a_forged_state_installs_nothing(oauth_driver: Driver, database: Any) -> None:
    code = oauth_driver.fake.add_oauth_code()
    url = f"{oauth_driver.url}/slack/oauth_redirect?code={code}&state=forged"
    async with oauth_driver.http.get(url) as response:
        assert response.status >= 400
    assert oauth_driver.fake.calls_to("oauth.v2.access") == []
    assert await count_rows(database, slack_installations) == 0


async def test_a_workspace_without_an_install_cannot_be_posted_to(oauth_driver: Driver) -> None:
    with pytest.raises(SendFailed) as failed:
        await oauth_driver.runtime.platform.deliver(oauth_driver.channel, None, Notice("hi"), "k")
    # An admin can fix it (install again): retried with a long backoff, and the admins told.
    assert failed.value.problem == "not_installed" and "not installed" in failed.value.reason
    assert not failed.value.permanent


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"api_url": "http://slack.test/api"}, "must end with '/'"),
        ({"app_token": SecretStr("xapp-1"), "bot_token": None}, "also needs SLACK_BOT_TOKEN"),
        ({"signing_secret": None}, "needs SLACK_SIGNING_SECRET"),
        ({"client_id": "1.2"}, "SLACK_CLIENT_SECRET is not"),
        ({"bot_token": None}, "set SLACK_BOT_TOKEN, or SLACK_CLIENT_ID"),
    ],
)
async def test_settings_that_cannot_work_are_refused(
    fake: FakeSlack, overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(SlackSetupError, match=re.escape(message)):
        choose_mode(slack_settings(fake, **overrides))
