"""Fan-out on Slack: many channels due the same minute, the real runtime against the fake's
posting limits (one a second per channel, and a workspace-wide limit on chat.postMessage): every
drill goes out once, with no 429; a 429 holds the whole workspace for its Retry-After."""

from __future__ import annotations

from datetime import timedelta

from bot.core.model import Place
from bot.core.ports import Paced
from bot.core.services.admin import register_channel
from bot.core.services.sweep import run_due_work
from bot.platforms.slack_app.refs import PLATFORM
from tests.fakes.slack.defaults import TEAM_ID
from tests.platforms.slack_app.conftest import Driver

CHANNELS = 40
WORKSPACE_RATE = 20.0  # the fake's chat.postMessage limit across the workspace, a second


async def _due_channels(driver: Driver, count: int) -> list[str]:
    """``count`` drill channels whose drills are all due now."""
    channels = [driver.fake.add_channel(f"drills-{n}") for n in range(count)]
    for channel in channels:
        await register_channel(driver.core, Place(PLATFORM, TEAM_ID, channel), driver.clock.now)
    driver.clock.now += timedelta(hours=1)
    return channels


async def _fan_out(driver: Driver) -> int:
    platform = driver.runtime.platform
    report = await run_due_work(driver.core, {PLATFORM: platform}, driver.clock.now, overlap=True)
    return report.sent


async def test_a_fan_out_posts_every_drill_once_with_no_429(driver: Driver) -> None:
    driver.fake.rate_limit_per_channel(per_second=1.0)
    platform = driver.runtime.platform
    platform.pacer.interval = 1.0
    assert isinstance(platform, Paced) and platform.send_lanes > 1
    channels = await _due_channels(driver, CHANNELS)
    assert await _fan_out(driver) == CHANNELS
    assert driver.fake.rate_limited_count == 0
    assert all(len(driver.fake.messages(channel)) == 1 for channel in channels)


async def test_a_fan_out_keeps_under_the_workspace_limit(driver: Driver) -> None:
    """Twenty posts in flight at once would spend the workspace's burst at once: they are paced
    at the workspace's rate instead, and none meets a 429."""
    driver.fake.rate_limit_per_channel(per_second=1.0)
    driver.fake.rate_limit_workspace(per_second=WORKSPACE_RATE, burst=int(WORKSPACE_RATE) // 2)
    driver.runtime.pacer.rates["chat.postMessage"] = WORKSPACE_RATE
    channels = await _due_channels(driver, CHANNELS)
    assert await _fan_out(driver) == CHANNELS
    assert driver.fake.rate_limited_count == 0
    assert all(len(driver.fake.messages(channel)) == 1 for channel in channels)
    assert len(driver.fake.calls_to("chat.postMessage")) == CHANNELS


async def test_a_429_holds_the_workspace_for_its_retry_after(driver: Driver) -> None:
    """Slack refuses the method for the whole workspace until Retry-After has passed: no other
    channel's post goes meanwhile, and the refused post is retried and lands once."""
    driver.runtime.pacer.rates["chat.postMessage"] = 5.0  # posts leave 200 ms apart
    driver.fake.fail_next("chat.postMessage", "ratelimited", retry_after=1, keep_closed=True)
    channels = await _due_channels(driver, 4)
    assert await _fan_out(driver) == 4
    assert driver.fake.refused_while_closed == 0
    assert all(len(driver.fake.messages(channel)) == 1 for channel in channels)
    assert len(driver.fake.calls_to("chat.postMessage")) == 4 + 1  # one post was sent twice
