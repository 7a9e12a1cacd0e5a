"""A member's first answer in a round, written from what the process recalls of the round instead
of a fresh read (PostgreSQL: one round trip). Whatever changed behind the process's back (the
round closed or went blind, the minimum length, the member's answers, reviews or streak, a newer
round in the thread) must lead to exactly what a fresh read leads to."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, literal, select, update

from bot.core.cards import AnswerReceipt
from bot.core.services.context import Core
from bot.core.streaks import StreakState
from bot.storage.repos.answering import AnsweringRepo
from bot.storage.tables import answers as answers_table
from bot.storage.tables import channels, member_notices, members, reviews, rounds, streaks
from bot.storage.uow import UnitOfWork
from tests.core.services.helpers import answer, drill_threads, member, register, tick
from tests.recording_platform import RecordingPlatform

POST = timedelta(hours=1)
TEXT = "Roll back the deploy first, then compare error rates per region before and after."
ALICE, BOB = member("alice"), member("bob")


@dataclass(frozen=True)
class Tuesday:
    """Alice and Bob answered Monday's drill; on Tuesday Alice has answered (so the process
    read Tuesday's round), and Bob is about to."""

    thread: str
    round_id: int
    now: datetime
    alices_answer: int
    bob: int


async def _second_day(core: Core, platform: RecordingPlatform, monday: datetime) -> Tuesday:
    await register(core, monday)
    await tick(core, platform, monday + POST)
    await answer(core, ALICE, drill_threads(platform)[0], "a1", TEXT, monday + POST)
    await answer(core, BOB, drill_threads(platform)[0], "b1", TEXT, monday + POST)
    tuesday = monday + timedelta(days=1) + POST
    await tick(core, platform, tuesday)
    thread = drill_threads(platform)[1]
    first = await answer(core, ALICE, thread, "a2", TEXT, tuesday)
    assert first is not None
    bob = await core.db.run(lambda uow: uow.members.find(BOB.platform, BOB.space_ref, BOB.user_ref))
    assert bob is not None
    return Tuesday(thread, first.round_id, tuesday, first.answer_id, bob)


async def _bobs_streak(core: Core, day: Tuesday) -> StreakState:
    return await core.db.run(lambda uow: uow.streaks.state(1, day.bob))


def _change(statement: Any) -> Callable[[UnitOfWork], None]:
    def work(uow: UnitOfWork) -> None:
        uow.connection.execute(statement)
        uow.commit()

    return work


def _postgres_only(core: Core) -> None:
    if core.db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite reads cost no round trip, so nothing is recalled")


async def test_a_first_answer_in_a_round_read_before_needs_no_read(
    core, platform, monday_morning, monkeypatch
):
    _postgres_only(core)
    day = await _second_day(core, platform, monday_morning)
    reads: list[str] = []
    real = AnsweringRepo.in_thread
    monkeypatch.setattr(AnsweringRepo, "in_thread", lambda *a: reads.append("read") or real(*a))
    receipt = await answer(core, BOB, day.thread, "b2", TEXT, day.now)
    assert receipt is not None and receipt.created and receipt.number == 2
    assert reads == []
    # Monday and Tuesday: the day counted from the recalled streak.
    assert (await _bobs_streak(core, day)).current == 2


async def _bob_after(
    core: Core, platform: RecordingPlatform, monday: datetime, change: Callable[[Tuesday], Any]
) -> tuple[AnswerReceipt, Tuesday]:
    """Bob's first answer on Tuesday, after ``change`` was made behind the process's back."""
    day = await _second_day(core, platform, monday)
    await core.db.run(_change(change(day)))
    receipt = await answer(core, BOB, day.thread, "b2", TEXT, day.now)
    assert receipt is not None
    return receipt, day


async def test_a_round_closed_since_takes_a_late_answer(core, platform, monday_morning):
    _postgres_only(core)
    receipt, _ = await _bob_after(core, platform, monday_morning, _round(status="closed"))
    assert receipt.late and receipt.created


async def test_an_answer_window_ended_since_takes_a_late_answer(core, platform, monday_morning):
    _postgres_only(core)

    ended = _round(closes_at=monday_morning + timedelta(days=1))
    receipt, _ = await _bob_after(core, platform, monday_morning, ended)
    assert receipt.late


async def test_a_round_gone_blind_since_takes_no_thread_answer(core, platform, monday_morning):
    _postgres_only(core)

    blind = _round(answers_close_at=monday_morning + timedelta(days=2))
    receipt, day = await _bob_after(core, platform, monday_morning, blind)
    assert receipt.blind
    assert await _answers_of_bob(core, day) == []


async def test_a_minimum_length_raised_since_is_applied(core, platform, monday_morning):
    _postgres_only(core)
    raised = lambda day: update(channels).values(min_answer_chars=500)  # noqa: E731
    receipt, _ = await _bob_after(core, platform, monday_morning, raised)
    assert receipt.too_short == 500


async def test_an_answer_given_elsewhere_since_is_joined(core, platform, monday_morning):
    """Another process stored Bob's answer: this message joins it instead of starting one."""
    _postgres_only(core)

    def stored(day: Tuesday) -> Any:
        row = {"round_id": day.round_id, "member_id": day.bob, "late": False, "text": "earlier"}
        row |= {"withdrawn": False, "created_at": day.now, "updated_at": day.now}
        return insert(answers_table).values(row)

    receipt, day = await _bob_after(core, platform, monday_morning, stored)
    assert not receipt.created
    assert [answer_id for answer_id, _ in await _answers_of_bob(core, day)] == [receipt.answer_id]


async def test_a_review_given_since_makes_the_answer_late(core, platform, monday_morning):
    """Bob reviewed (and so saw the rubric) through another process: his answer is late."""
    _postgres_only(core)

    def reviewed(day: Tuesday) -> Any:
        row = {"answer_id": day.alices_answer, "round_id": day.round_id, "reviewer_id": day.bob}
        row |= {"points": "", "read": "", "self_assessed": False}
        return insert(reviews).values(row | {"created_at": day.now, "updated_at": day.now})

    receipt, _ = await _bob_after(core, platform, monday_morning, reviewed)
    assert receipt.late and receipt.after_review


async def test_a_streak_changed_since_is_extended_as_it_stands(core, platform, monday_morning):
    _postgres_only(core)

    def repaired(day: Tuesday) -> Any:
        changed = {"current": 9, "longest": 9, "freezes": 1, "last_day": monday_morning.date()}
        return update(streaks).where(streaks.c.member_id == day.bob).values(changed)

    _, day = await _bob_after(core, platform, monday_morning, repaired)
    state = await _bobs_streak(core, day)
    assert (state.current, state.freezes) == (10, 1)


async def test_a_newer_round_in_the_thread_takes_the_answer(core, platform, monday_morning):
    _postgres_only(core)
    kept = ["channel_id", "mode", "local_date", "drill_id", "drill_kind", "status", "opened_at"]
    kept += ["closes_at", "thread_ref"]

    def posted(day: Tuesday) -> Any:
        copy = select(*(rounds.c[name] for name in kept), literal("newer").label("claim_key"))
        copy = copy.where(rounds.c.id == day.round_id)
        return insert(rounds).from_select([*kept, "claim_key"], copy)

    receipt, day = await _bob_after(core, platform, monday_morning, posted)
    assert receipt.round_id > day.round_id and receipt.number == 1


def _round(**values: Any) -> Callable[[Tuesday], Any]:
    return lambda day: update(rounds).where(rounds.c.id == day.round_id).values(values)


async def _answers_of_bob(core: Core, day: Tuesday) -> list[tuple[int, str]]:
    query = select(answers_table.c.id, answers_table.c.text).where(
        answers_table.c.round_id == day.round_id, answers_table.c.member_id == day.bob
    )
    return await core.db.run(
        lambda uow: [(int(r.id), str(r.text)) for r in uow.connection.execute(query)]
    )


async def test_news_waiting_for_a_member_the_process_never_saw_comes_with_the_answer(
    core, platform, monday_morning
):
    """Bob exists (another process made him, and left him a note) but this process never saw
    him: his first answer, written from the recalled round, still brings his news."""
    _postgres_only(core)
    await register(core, monday_morning)
    await tick(core, platform, monday_morning + POST)
    thread, now = drill_threads(platform)[0], monday_morning + POST
    await answer(core, ALICE, thread, "a1", TEXT, now)

    def made_elsewhere(uow: UnitOfWork) -> None:
        person = {"platform": BOB.platform, "space_ref": BOB.space_ref, "user_ref": BOB.user_ref}
        bob = uow.connection.execute(
            insert(members).returning(members.c.id), person | {"display_name": "bob"}
        ).scalar_one()
        note = {"channel_id": 1, "member_id": bob, "text": "A note for Bob.", "created_at": now}
        uow.connection.execute(insert(member_notices), note)
        uow.commit()

    await core.db.run(made_elsewhere)
    receipt = await answer(core, BOB, thread, "b1", TEXT, now)
    assert receipt is not None and receipt.created and receipt.news == ("A note for Bob.",)
