"""The fake Slack Web API, exercised with the real ``slack_sdk`` AsyncWebClient."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakes.slack import (
    FakeSlack,
    defaults,
    event_callback,
    message_event,
    slash_command,
    view_submission,
)


async def test_auth_test_returns_bot_identity(fake: FakeSlack, client: AsyncWebClient) -> None:
    resp = await client.auth_test()
    assert resp["ok"] is True
    assert resp["url"] == "https://drillbot-test.slack.com/"
    assert (resp["team"], resp["team_id"]) == (fake.team_name, fake.team_id)
    assert (resp["user"], resp["user_id"], resp["bot_id"]) == (
        "drillbot",
        fake.bot_user_id,
        fake.bot_id,
    )
    call = fake.calls_to("auth.test")[0]
    assert call.headers["Authorization"] == f"Bearer {fake.bot_token}"
    assert call.token == fake.bot_token


async def test_post_in_thread_update_delete_and_permalink(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    channel = fake.add_channel("drills")
    parent = await client.chat_postMessage(channel=channel, text="Today's drill")
    reply = await client.chat_postMessage(channel=channel, text="hint", thread_ts=parent["ts"])
    assert reply["channel"] == channel
    assert reply["message"]["thread_ts"] == parent["ts"]
    assert float(reply["ts"]) > float(parent["ts"])
    assert [m.text for m in fake.thread(channel, parent["ts"])] == ["hint"]
    assert fake.find_message(channel, parent["ts"]).reply_ts == [reply["ts"]]  # type: ignore[union-attr]

    updated = await client.chat_update(channel=channel, ts=parent["ts"], text="Drill (closed)")
    assert updated["text"] == "Drill (closed)"
    assert fake.messages(channel)[0].edited_ts is not None

    link = await client.chat_getPermalink(channel=channel, message_ts=reply["ts"])
    assert link["permalink"].startswith(f"https://drillbot-test.slack.com/archives/{channel}/p")
    await client.chat_delete(channel=channel, ts=reply["ts"])
    assert [m.text for m in fake.messages(channel)] == ["Drill (closed)"]
    with pytest.raises(SlackApiError) as err:
        await client.chat_update(channel=channel, ts="1.000001", text="x")
    assert err.value.response["error"] == "message_not_found"
    fake.assert_no_violations()


async def test_ephemeral_views_and_users_info(fake: FakeSlack, client: AsyncWebClient) -> None:
    alice = fake.add_user("alice", admin=True, display_name="Alice A.")
    channel = fake.add_channel("drills")
    resp = await client.chat_postEphemeral(channel=channel, user=alice, text="only you")
    assert fake.ephemerals[0].user == alice
    assert fake.ephemerals[0].ts == resp["message_ts"]

    info = await client.users_info(user=alice)
    user = info["user"]
    assert (user["is_admin"], user["is_owner"], user["is_bot"]) == (True, False, False)
    assert user["profile"]["display_name"] == "Alice A."

    home = {
        "type": "home",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hi"}}],
    }
    published = await client.views_publish(user_id=alice, view=home)
    assert fake.home_views[alice]["id"] == published["view"]["id"]
    modal = {"type": "modal", "title": {"type": "plain_text", "text": "Drill"}, "blocks": []}
    opened = await client.views_open(trigger_id="123.456.abc", view=modal)
    assert fake.opened_views[0]["trigger_id"] == "123.456.abc"
    assert opened["view"]["type"] == "modal"


async def test_conversations_team_and_dm(fake: FakeSlack, client: AsyncWebClient) -> None:
    channel = fake.add_channel("lobby", bot_member=False)
    info = await client.conversations_info(channel=channel)
    assert (info["channel"]["name"], info["channel"]["is_member"]) == ("lobby", False)
    with pytest.raises(SlackApiError) as err:
        await client.chat_postMessage(channel=channel, text="hello")
    assert err.value.response["error"] == "not_in_channel"
    await client.conversations_join(channel=channel)
    await client.chat_postMessage(channel="#lobby", text="hello")
    assert fake.messages(channel)[0].text == "hello"

    team = await client.team_info()
    assert team["team"]["id"] == fake.team_id
    bob = fake.add_user("bob")
    dm = await client.conversations_open(users=bob)
    await client.chat_postMessage(channel=bob, text="psst")
    assert fake.messages(dm["channel"]["id"])[0].text == "psst"


async def test_bad_tokens_and_unknown_method(fake: FakeSlack) -> None:
    bad = AsyncWebClient(token="xoxb-nope", base_url=fake.base_url)
    with pytest.raises(SlackApiError) as err:
        await bad.auth_test()
    assert err.value.response["error"] == "invalid_auth"
    app_level = AsyncWebClient(token=fake.app_token, base_url=fake.base_url)
    with pytest.raises(SlackApiError) as err:
        await app_level.chat_postMessage(channel="C1", text="x")
    assert err.value.response["error"] == "not_allowed_token_type"
    fake.revoke_token(fake.bot_token)
    client = AsyncWebClient(token=fake.bot_token, base_url=fake.base_url)
    with pytest.raises(SlackApiError) as err:
        await client.api_call("admin.nothing.here")
    assert err.value.response["error"] == "unknown_method"
    assert fake.calls_to("admin.nothing.here")[0].status == 200
    with pytest.raises(SlackApiError) as err:
        await client.auth_test()
    assert err.value.response["error"] == "token_revoked"


async def test_ratelimited_call_is_retried_by_sdk_handler(fake: FakeSlack) -> None:
    channel = fake.add_channel("drills")
    client = AsyncWebClient(
        token=fake.bot_token,
        base_url=fake.base_url,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=2)],
    )
    fake.fail_next("chat.postMessage", error="ratelimited", status=429, retry_after=0, count=1)
    started = time.monotonic()
    resp = await client.chat_postMessage(channel=channel, text="eventually")
    assert resp["ok"] is True
    assert time.monotonic() - started < 1.5  # Retry-After 0 -> sdk sleeps 0 + random() s
    statuses = [c.status for c in fake.calls_to("chat.postMessage")]
    assert statuses == [429, 200]
    assert len(fake.messages(channel)) == 1


async def test_injected_errors(fake: FakeSlack, client: AsyncWebClient) -> None:
    channel = fake.add_channel("drills")
    fake.fail_next("chat.postMessage", error="missing_scope", needed="chat:write.public")
    with pytest.raises(SlackApiError) as err:
        await client.chat_postMessage(channel=channel, text="x")
    assert err.value.response.status_code == 200
    assert err.value.response["needed"] == "chat:write.public"
    fake.fail_next("chat.postMessage", error="internal_error", status=500)
    with pytest.raises(SlackApiError) as err:
        await client.chat_postMessage(channel=channel, text="x")
    assert err.value.response.status_code == 500
    fake.fail_next("chat.postMessage", error="ratelimited", retry_after=7)
    with pytest.raises(SlackApiError) as err:  # the default client does not retry 429s
        await client.chat_postMessage(channel=channel, text="x")
    assert err.value.response.headers["Retry-After"] == "7"
    await client.chat_postMessage(channel=channel, text="fine now")
    assert [m.text for m in fake.messages(channel)] == ["fine now"]


async def test_per_channel_rate_limit(fake: FakeSlack, client: AsyncWebClient) -> None:
    busy, quiet = fake.add_channel("busy"), fake.add_channel("quiet")
    fake.rate_limit_per_channel(per_second=1)
    await client.chat_postMessage(channel=busy, text="1")
    with pytest.raises(SlackApiError) as err:
        await client.chat_postMessage(channel=busy, text="2")
    assert err.value.response.status_code == 429
    assert int(err.value.response.headers["Retry-After"]) >= 1
    await client.chat_postMessage(channel=quiet, text="other channel is fine")
    assert fake.rate_limited_count == 1
    assert fake.rate_limit is not None
    assert fake.rate_limit.hits[busy] == 1


async def test_workspace_rate_limit_spans_channels(fake: FakeSlack, client: AsyncWebClient) -> None:
    first, second = fake.add_channel("first"), fake.add_channel("second")
    fake.rate_limit_per_channel(per_second=1)
    fake.rate_limit_workspace(per_second=0.5, burst=2)
    await client.chat_postMessage(channel=first, text="1")
    await client.chat_postMessage(channel=second, text="2")
    third = fake.add_channel("third")
    with pytest.raises(SlackApiError) as err:  # a fresh channel, but the workspace is spent
        await client.chat_postMessage(channel=third, text="3")
    assert err.value.response.status_code == 429
    assert int(err.value.response.headers["Retry-After"]) == 2
    await client.chat_postEphemeral(channel=third, user=fake.add_user("ann"), text="not limited")
    assert fake.rate_limited_count == 1 and fake.workspace_limit is not None
    assert fake.workspace_limit.hits == 1 and fake.messages(third) == []


async def test_validation_is_recorded_not_raised(fake: FakeSlack, client: AsyncWebClient) -> None:
    channel = fake.add_channel("drills")
    button = {
        "type": "button",
        "text": {"type": "plain_text", "text": "Go"},
        "action_id": "a" * 256,
        "value": "v" * 2001,
    }
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": "s" * 3001}}
    ]
    blocks += [{"type": "actions", "elements": [button]}]
    blocks += [{"type": "divider"}] * 49
    await client.chat_postMessage(channel=channel, text="t" * 40_001, blocks=blocks)
    await client.chat_postMessage(channel=channel, text="ping <!here> and <!channel>")
    with pytest.warns(UserWarning, match="top-level `text`"):  # slack-sdk warns too
        await client.chat_postMessage(channel=channel, blocks=[{"type": "divider"}])
    joined = "\n".join(fake.violations)
    for expected in (
        "text is 40001 chars",
        "51 blocks",
        "section text is 3001 chars",
        "action_id is 256 chars",
        "button value is 2001 chars",
        "'<!here>'",
        "'<!channel>'",
        "without a top-level text fallback",
    ):
        assert expected in joined
    count = len(fake.violations)
    await client.chat_postMessage(channel=channel, text="escaped &lt;!here&gt; is fine")
    assert len(fake.violations) == count


async def test_form_and_json_bodies(fake: FakeSlack, client: AsyncWebClient) -> None:
    channel = fake.add_channel("drills")
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "form"}}]
    await client.api_call(
        "chat.postMessage", data={"channel": channel, "text": "form", "blocks": json.dumps(blocks)}
    )
    await client.api_call("chat.postMessage", json={"channel": channel, "text": "json"})
    await client.api_call("chat.postMessage", params={"channel": channel, "text": "query"})
    assert [m.text for m in fake.messages(channel)] == ["form", "json", "query"]
    assert fake.messages(channel)[0].blocks == blocks
    content_types = [c.headers["Content-Type"] for c in fake.calls_to("chat.postMessage")]
    assert content_types[0].startswith("application/x-www-form-urlencoded")
    assert content_types[1].startswith("application/json")


# slack-sdk 3.47 builds aiohttp.BasicAuth for oauth.v2.access, which aiohttp 3.14 deprecates.
@pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")
async def test_oauth_v2_access(fake: FakeSlack) -> None:
    installer = fake.add_user("owner", owner=True)
    code = fake.add_oauth_code(installer=installer)
    anonymous = AsyncWebClient(base_url=fake.base_url)
    resp = await anonymous.oauth_v2_access(
        client_id=fake.client_id, client_secret=fake.client_secret, code=code
    )
    assert resp["token_type"] == "bot"
    assert resp["is_enterprise_install"] is False
    assert resp["team"] == {"id": fake.team_id, "name": fake.team_name}
    assert resp["enterprise"] is None
    assert (resp["bot_user_id"], resp["app_id"]) == (fake.bot_user_id, fake.app_id)
    assert resp["authed_user"]["id"] == installer
    assert "chat:write" in resp["scope"]
    installed = AsyncWebClient(token=resp["access_token"], base_url=fake.base_url)
    assert (await installed.auth_test())["bot_id"] == fake.bot_id
    with pytest.raises(SlackApiError) as err:  # codes are single use
        await anonymous.oauth_v2_access(
            client_id=fake.client_id, client_secret=fake.client_secret, code=code
        )
    assert err.value.response["error"] == "invalid_code"
    with pytest.raises(SlackApiError) as err:
        await anonymous.oauth_v2_access(client_id=fake.client_id, client_secret="x", code="c")
    assert err.value.response["error"] == "bad_client_secret"


async def test_apps_connections_open_needs_app_token(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    resp = await client.apps_connections_open(app_token=fake.app_token)
    assert resp["url"].startswith(fake.url.replace("http://", "ws://") + "/link/?ticket=")
    with pytest.raises(SlackApiError) as err:
        await client.apps_connections_open(app_token=fake.bot_token)
    assert err.value.response["error"] == "not_allowed_token_type"


async def test_request_builders_sign_and_wrap() -> None:
    verifier = SignatureVerifier(defaults.SIGNING_SECRET)
    payload = view_submission("cb", "meta", {"answer": {"text": "x"}}, team_id="T2")
    good, stale = payload.signed(), payload.signed(stale=True)
    assert verifier.is_valid_request(good.body, good.headers)
    assert not verifier.is_valid_request(stale.body, stale.headers)
    assert not verifier.is_valid_request(good.body, payload.signed(signature="wrong").headers)
    retried = event_callback(message_event("hi")).signed(retry_num=2)
    assert retried.headers["X-Slack-Retry-Num"] == "2"
    assert retried.headers["X-Slack-Retry-Reason"] == "http_timeout"
    assert payload.data["team"]["id"] == payload.data["user"]["team_id"] == "T2"
    envelope = payload.envelope()
    assert (envelope["type"], envelope["accepts_response_payload"]) == ("interactive", True)
    assert slash_command(text="go").envelope()["payload"]["text"] == "go"
    events = event_callback(message_event("hi")).envelope(retry_attempt=1, retry_reason="timeout")
    assert (events["retry_attempt"], events["retry_reason"]) == (1, "timeout")


async def test_workspace_options() -> None:
    async with FakeSlack(team_id="T0OTHER", bot_token="xoxb-custom") as other:
        client = AsyncWebClient(token="xoxb-custom", base_url=other.base_url)
        assert (await client.auth_test())["team_id"] == "T0OTHER"
