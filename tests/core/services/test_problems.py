"""Problems only an admin can fix: retried with a long backoff (never dropped), told to the
channel's admins once per problem (the database remembers, across restarts), cleared by the next
post that goes out; ballots and notices are outbox posts retried like drills."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from bot.core.cards import BallotCard, Notice
from bot.core.model import Place
from bot.core.ports import AdminAlert, AlertsAdmins, SendFailed
from bot.core.services import outbox, problems
from bot.core.services.context import Core
from bot.core.services.delivery import problem_backoff
from tests.core.services.helpers import answer, drill_threads, member, register, tick
from tests.recording_platform import RecordingPlatform

POST = timedelta(hours=1)


def gone() -> SendFailed:
    return SendFailed("not_in_channel", admin_hint="Invite @Drillbot.", problem="not_in_channel")


@dataclass
class AlertingPlatform(RecordingPlatform):
    alerts: list[tuple[str, AdminAlert]] = field(default_factory=list)
    alerts_fail: int = 0

    async def alert_admins(self, space_ref: str, alert: AdminAlert) -> None:
        if self.alerts_fail:
            self.alerts_fail -= 1
            raise SendFailed("the admin's DM failed")
        self.alerts.append((space_ref, alert))


def test_the_long_backoff_doubles_from_half_an_hour_to_six_hours() -> None:
    waits = [problem_backoff(attempt) for attempt in range(1, 8)]
    assert [w.total_seconds() / 60 for w in waits] == [30, 60, 120, 240, 360, 360, 360]
    assert isinstance(AlertingPlatform(), AlertsAdmins)


async def test_a_problem_is_retried_and_told_once(core, monday_morning):
    platform = AlertingPlatform()
    await register(core, monday_morning)
    at = monday_morning + POST
    for _ in range(4):
        platform.fail_next(gone())
    moments = [at, at + timedelta(minutes=30), at + timedelta(hours=1, minutes=30)]
    for moment in [*moments, at + timedelta(hours=3, minutes=30)]:
        await tick(core, platform, moment)
    job = await core.db.run(lambda uow: uow.posts.get("drill:1"))
    assert job is not None and job.status == "pending" and job.attempts == 4
    assert job.next_attempt_at == at + timedelta(hours=3, minutes=30) + timedelta(hours=4)
    assert [(space, alert.problem) for space, alert in platform.alerts] == [
        ("guild-1", "not_in_channel")
    ]
    assert platform.alerts[0][1].fix == "Invite @Drillbot."
    assert "Invite @Drillbot." in platform.alerts[0][1].text


async def test_once_per_problem_survives_a_restart(core, bank, monday_morning):
    platform = AlertingPlatform()
    await register(core, monday_morning)
    at = monday_morning + POST
    platform.fail_next(gone(), gone())
    await tick(core, platform, at)
    restarted = Core(db=core.db, bank=bank)  # a new process on the same database
    await tick(restarted, platform, at + timedelta(minutes=30))
    assert len(platform.alerts) == 1


async def test_a_sent_post_clears_the_problem_and_a_new_one_is_told_again(core, monday_morning):
    platform = AlertingPlatform()
    await register(core, monday_morning)
    at = monday_morning + POST
    platform.fail_next(gone())
    await tick(core, platform, at)
    assert [p.kind for p in await problems.live_in_space(core, member("alice"))] == [
        "not_in_channel"
    ]
    await tick(core, platform, at + timedelta(minutes=30))  # fixed: the drill goes out
    assert await problems.live_in_space(core, member("alice")) == []
    platform.fail_next(gone())
    await tick(core, platform, at + timedelta(days=1))
    assert len(platform.alerts) == 2  # the results post met the same fault again: told again


async def test_an_alert_that_fails_is_told_at_the_next_failure(core, monday_morning):
    platform = AlertingPlatform(alerts_fail=1)
    await register(core, monday_morning)
    at = monday_morning + POST
    platform.fail_next(gone(), gone())
    await tick(core, platform, at)
    assert platform.alerts == []
    await tick(core, platform, at + timedelta(minutes=30))
    assert len(platform.alerts) == 1


async def test_a_ballot_that_fails_is_retried_like_a_drill(core, monday_morning):
    platform = RecordingPlatform()
    await register(core, monday_morning)
    at = monday_morning + POST
    await tick(core, platform, at)
    [thread] = drill_threads(platform)
    receipt = await answer(core, member("bob"), thread, "m1", "Roll back first.", at)
    platform.fail_next(SendFailed("HTTP 500"))
    await outbox.offer_ballot(core, platform, receipt, at)
    assert platform.of_type(BallotCard) == []
    await outbox.offer_ballot(core, platform, receipt, at)  # a redelivered message: no second try
    await tick(core, platform, at + timedelta(seconds=16))
    [ballot] = platform.of_type(BallotCard)
    assert (ballot.thread_ref, ballot.key) == (thread, "ballot:1")
    await tick(core, platform, at + timedelta(minutes=5))
    assert len(platform.of_type(BallotCard)) == 1


async def test_a_public_notice_is_posted_once_per_request(core, monday_morning):
    platform = RecordingPlatform()
    await register(core, monday_morning)
    place = Place("test", "guild-1", "chan-1")
    for _ in range(2):  # the same command delivered twice
        failure = await outbox.announce(
            core, platform, place, Notice("Updated time."), "trigger-1", monday_morning
        )
        assert failure is None
    assert [d.card for d in platform.of_type(Notice)] == [Notice("Updated time.")]
    elsewhere = Place("test", "guild-1", "not-a-drill-channel")
    refused = await outbox.announce(core, platform, elsewhere, Notice("x"), "t2", monday_morning)
    assert refused is not None and refused.permanent
