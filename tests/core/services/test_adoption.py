"""A post whose outcome is unknown (a timeout, a crash holding the lease) is looked for before it
is sent again, on a platform that ``Adopts``: found, it is adopted and the answers already given in
its thread are kept; not found, it is sent. A clear refusal needs no look."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.core.cards import BallotCard, Card, DrillCard
from bot.core.ports import Adopts, Posted, SendFailed, ThreadReply
from bot.core.services import rounds
from bot.core.vocab import RoundMode
from bot.storage.tables import answers
from tests.core.services.helpers import member, register, tick
from tests.core.services.test_rounds import count
from tests.recording_platform import RecordingPlatform

POST = timedelta(hours=1)


@dataclass
class AdoptingPlatform(RecordingPlatform):
    """Remembers what it posted under each key, like Slack's message metadata."""

    timeouts: int = 0  # the next N posts go out, then time out before the answer
    looks: list[str] = field(default_factory=list)
    replies: dict[str, list[ThreadReply]] = field(default_factory=dict)
    failing_looks: int = 0

    async def deliver(
        self, channel_ref: str, thread_ref: str | None, card: Card, idempotency_key: str
    ) -> Posted:
        posted = await super().deliver(channel_ref, thread_ref, card, idempotency_key)
        if self.timeouts:
            self.timeouts -= 1
            raise TimeoutError("posted, but the answer never came")
        return posted

    async def find_posted(
        self, channel_ref: str, thread_ref: str | None, card: Card, key: str, since: datetime
    ) -> Posted | None:
        self.looks.append(key)
        if self.failing_looks:
            self.failing_looks -= 1
            raise SendFailed("could not reach the platform", unsure=True)
        for number, delivery in enumerate(self.deliveries, start=1):
            if delivery.key == key:
                return Posted(f"msg-{number}", f"thread-{number}" if thread_ref is None else None)
        return None

    async def thread_replies(
        self, space_ref: str, thread_ref: str, since: datetime
    ) -> list[ThreadReply]:
        return self.replies.get(thread_ref, [])


def test_the_test_platform_adopts() -> None:
    assert isinstance(AdoptingPlatform(), Adopts)
    assert not isinstance(RecordingPlatform(), Adopts)


async def test_a_timed_out_post_is_adopted_with_its_thread_answers(core, monday_morning):
    platform = AdoptingPlatform(timeouts=1)
    await register(core, monday_morning)
    at = monday_morning + POST
    await tick(core, platform, at)  # posted as msg-1 / thread-1, but it timed out
    platform.replies["thread-1"] = [
        ThreadReply(member("bob"), "r1", "Roll back first.", at + timedelta(seconds=5)),
        ThreadReply(member("carol"), "r2", "Check the queue.", at + timedelta(seconds=9)),
    ]
    await tick(core, platform, at + timedelta(seconds=16))
    assert len(platform.of_type(DrillCard)) == 1 and platform.looks == ["drill:1"]
    round_ = await core.db.run(lambda uow: uow.rounds.get(1))
    assert round_ is not None and (round_.message_ref, round_.thread_ref) == ("msg-1", "thread-1")
    assert await count(core, answers) == 2
    await tick(core, platform, at + timedelta(seconds=17))  # the ballots queued for them
    assert [d.card.answer_id for d in platform.of_type(BallotCard)] == [1, 2]  # type: ignore[attr-defined]


async def test_a_crash_holding_the_lease_is_adopted_after_it_expires(core, monday_morning):
    platform = AdoptingPlatform()
    channel = await register(core, monday_morning)
    at = monday_morning + POST
    await rounds.open_due_rounds(core, channel, at)
    job = (await core.db.run(lambda uow: uow.posts.due(at, 10)))[0]

    def lease(uow):  # type: ignore[no-untyped-def]
        assert uow.posts.lease(job.id, at, at + core.send_lease)
        uow.commit()

    await core.db.run(lease)
    drill = next(iter(core.bank.drills.values()))
    card = DrillCard(1, RoundMode.DAILY, drill, at + timedelta(days=1), "UTC")
    await platform.deliver("chan-1", None, card, "drill:1")  # sent, then the process dies
    await tick(core, platform, at + timedelta(seconds=30))  # still leased: nothing happens
    assert platform.looks == []
    await tick(core, platform, at + core.send_lease + timedelta(seconds=1))
    assert platform.looks == ["drill:1"] and len(platform.deliveries) == 1
    sent = await core.db.run(lambda uow: uow.posts.get("drill:1"))
    assert sent is not None and sent.status == "sent"


async def test_a_clear_refusal_needs_no_look(core, monday_morning):
    platform = AdoptingPlatform()
    await register(core, monday_morning)
    platform.fail_next(SendFailed("HTTP 403 missing access"))
    at = monday_morning + POST
    await tick(core, platform, at)
    await tick(core, platform, at + timedelta(seconds=16))
    assert platform.looks == [] and len(platform.of_type(DrillCard)) == 1


async def test_a_look_that_fails_is_tried_again_before_any_send(core, monday_morning):
    platform = AdoptingPlatform(timeouts=1, failing_looks=1)
    await register(core, monday_morning)
    at = monday_morning + POST
    await tick(core, platform, at)
    await tick(core, platform, at + timedelta(seconds=16))  # the look fails: nothing is sent
    assert len(platform.deliveries) == 1
    job = await core.db.run(lambda uow: uow.posts.get("drill:1"))
    assert job is not None and job.outcome_unknown
    await tick(core, platform, at + timedelta(minutes=2))
    assert platform.looks == ["drill:1", "drill:1"] and len(platform.deliveries) == 1
    job = await core.db.run(lambda uow: uow.posts.get("drill:1"))
    assert job is not None and job.status == "sent"


async def test_a_post_not_found_is_sent_once(core, monday_morning):
    platform = AdoptingPlatform()
    await register(core, monday_morning)
    platform.fail_next(SendFailed("could not reach the platform", unsure=True))
    at = monday_morning + POST
    await tick(core, platform, at)
    await tick(core, platform, at + timedelta(seconds=16))
    assert platform.looks == ["drill:1"] and len(platform.of_type(DrillCard)) == 1
