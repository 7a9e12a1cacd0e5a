"""A platform failing 20 % of sends (429 with Retry-After, 500, timeouts): every post still goes out
exactly once, nothing is lost, and ``drillbot status`` shows what is pending and why."""

from __future__ import annotations

import io
import random
from collections import Counter
from datetime import timedelta

from bot.core.cards import Card
from bot.core.ports import Posted, SendFailed
from bot.core.services.answers import receive_message
from bot.status import print_status
from tests.core.services.helpers import member as person
from tests.core.services.helpers import place, register, tick
from tests.recording_platform import RecordingPlatform

CHANNELS = 12


class FlakyPlatform(RecordingPlatform):
    def __init__(self, seed: int) -> None:
        super().__init__(name="test")
        self.rng = random.Random(seed)
        self.failed = Counter[str]()

    async def deliver(
        self, channel_ref: str, thread_ref: str | None, card: Card, idempotency_key: str
    ) -> Posted:
        roll = self.rng.random()
        if roll < 0.2:
            self.failed[idempotency_key] += 1
            kind = self.rng.choice(("429", "500", "timeout"))
            if kind == "429":
                raise SendFailed("HTTP 429 rate limited", retry_after=self.rng.uniform(1, 120))
            if kind == "500":
                raise SendFailed("HTTP 500 from the platform")
            raise TimeoutError("the platform did not answer in 10 s")
        return await super().deliver(channel_ref, thread_ref, card, idempotency_key)


async def test_every_post_goes_out_once_despite_a_flaky_platform(core, monday_morning):
    platform = FlakyPlatform(seed=5)
    for number in range(CHANNELS):
        await register(core, monday_morning, channel=f"c{number}")
    for minute in range(0, 8 * 24 * 60, 15):  # eight days, a sweep every fifteen minutes
        now = monday_morning + timedelta(minutes=minute)
        await tick(core, platform, now)
        if minute % (24 * 60) == 75:  # 09:15: someone answers in every channel's newest thread
            for delivery in list(platform.deliveries)[-CHANNELS * 2 :]:
                if delivery.key.startswith("drill:"):
                    thread = f"thread-{platform.deliveries.index(delivery) + 1}"
                    where = place(thread, channel=delivery.channel_ref)
                    ref = f"m{minute}-{delivery.channel_ref}"
                    await receive_message(core, person("bob"), where, ref, "an answer", now)
    keys = Counter(d.key for d in platform.deliveries)
    assert max(keys.values()) == 1
    kinds = Counter(key.split(":")[0] for key in keys)
    assert (
        kinds["drill"] == CHANNELS * 8
        and kinds["results"] == CHANNELS * 7
        and kinds["weekly"] == CHANNELS
    )
    assert sum(platform.failed.values()) > 20  # the faults really happened


async def test_status_shows_pending_sends_with_their_last_error(core, monday_morning):
    platform = RecordingPlatform()
    await register(core, monday_morning)
    platform.fail_next(
        SendFailed("HTTP 403 missing access", admin_hint="Give Drillbot Send Messages in #c.")
    )
    await tick(core, platform, monday_morning + timedelta(hours=1))
    out = io.StringIO()
    await print_status(core, monday_morning + timedelta(hours=1), out)
    report = out.getvalue()
    assert "1 channel(s)" in report and "test:guild-1:chan-1" in report
    assert (
        "pending: drill:1 after 1 attempt(s)" in report and "Give Drillbot Send Messages" in report
    )
