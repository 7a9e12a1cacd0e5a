"""The fake's message metadata, history methods and late answers, with the real ``slack_sdk``."""

from __future__ import annotations

import asyncio

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakes.slack import FakeSlack

METADATA = {"event_type": "drillbot_post", "event_payload": {"key": "drill:7"}}


async def test_metadata_is_kept_and_shown_only_when_asked_for(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    channel = fake.add_channel("drills")
    posted = await client.chat_postMessage(channel=channel, text="drill", metadata=METADATA)
    assert fake.messages(channel)[0].metadata == METADATA
    plain = await client.conversations_history(channel=channel)
    assert "metadata" not in plain["messages"][0]
    full = await client.conversations_history(channel=channel, include_all_metadata=True)
    assert full["messages"][0]["metadata"] == METADATA and full["messages"][0]["ts"] == posted["ts"]
    with pytest.raises(SlackApiError) as bad:
        await client.chat_postMessage(channel=channel, text="x", metadata={"event_payload": {}})
    assert bad.value.response["error"] == "invalid_metadata_format"


async def test_history_pages_newest_first_from_oldest(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    channel = fake.add_channel("drills")
    stamps = [
        (await client.chat_postMessage(channel=channel, text=f"m{n}"))["ts"] for n in range(5)
    ]
    await client.chat_postMessage(channel=channel, text="reply", thread_ts=stamps[0])
    first = await client.conversations_history(channel=channel, oldest=stamps[0], limit=2)
    assert [m["text"] for m in first["messages"]] == ["m4", "m3"] and first["has_more"]
    cursor = first["response_metadata"]["next_cursor"]
    rest = await client.conversations_history(
        channel=channel, oldest=stamps[0], limit=2, cursor=cursor
    )
    assert [m["text"] for m in rest["messages"]] == ["m2", "m1"] and not rest["has_more"]


async def test_replies_show_the_parent_then_the_thread(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    channel = fake.add_channel("drills")
    parent = (await client.chat_postMessage(channel=channel, text="drill"))["ts"]
    alice = fake.add_user("alice")
    fake.add_message(channel, "an answer", user=alice, thread_ts=parent)
    await client.chat_postMessage(
        channel=channel, text="ballot", thread_ts=parent, metadata=METADATA
    )
    found = await client.conversations_replies(
        channel=channel, ts=parent, include_all_metadata=True
    )
    assert [m["text"] for m in found["messages"]] == ["drill", "an answer", "ballot"]
    assert found["messages"][2]["metadata"] == METADATA
    with pytest.raises(SlackApiError) as gone:
        await client.conversations_replies(channel=channel, ts="1.000001")
    assert gone.value.response["error"] == "thread_not_found"


async def test_a_late_answer_comes_after_the_work_is_done(fake: FakeSlack) -> None:
    channel = fake.add_channel("drills")
    fake.answer_late("chat.postMessage", 0.5)
    impatient = AsyncWebClient(token=fake.bot_token, base_url=fake.base_url, timeout=0.1)
    with pytest.raises(asyncio.TimeoutError):
        await impatient.chat_postMessage(channel=channel, text="drill")
    assert [m.text for m in fake.messages(channel)] == ["drill"]  # carried out all the same
    await impatient.chat_postMessage(channel=channel, text="again")  # only the next call was late
    assert len(fake.messages(channel)) == 2
