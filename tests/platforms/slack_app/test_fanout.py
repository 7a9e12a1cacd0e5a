"""Fan-out on Slack: many channels due the same minute, the real runtime against the fake's
per-channel posting limit (one a second): every drill goes out once, with no 429."""

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


async def test_a_fan_out_posts_every_drill_once_with_no_429(driver: Driver) -> None:
    driver.fake.rate_limit_per_channel(per_second=1.0)
    platform = driver.runtime.platform
    platform.pacer.interval = 1.0
    assert isinstance(platform, Paced) and platform.send_lanes > 1
    channels = [driver.fake.add_channel(f"drills-{n}") for n in range(CHANNELS)]
    for channel in channels:
        await register_channel(driver.core, Place(PLATFORM, TEAM_ID, channel), driver.clock.now)
    driver.clock.now += timedelta(hours=1)
    report = await run_due_work(driver.core, {PLATFORM: platform}, driver.clock.now, overlap=True)
    assert report.sent == CHANNELS
    assert driver.fake.rate_limited_count == 0
    assert all(len(driver.fake.messages(channel)) == 1 for channel in channels)
