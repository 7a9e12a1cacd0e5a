"""Answers: a member's messages in a round's thread, joined; edits update, deletions withdraw."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.cards import AnswerReceipt, ResultsCard
from bot.core.model import Actor, Place, Round
from bot.core.schedule import local_date
from bot.core.scoring import RoundScore
from bot.core.services.context import Core, catalogue_for
from bot.core.streaks import record_day
from bot.core.text import MAX_ANSWER_CHARS
from bot.storage.uow import UnitOfWork


async def receive_message(
    core: Core, author: Actor, place: Place, message_ref: str, text: str, now: datetime
) -> AnswerReceipt | None:
    """A message in a thread; None when it is not an answer (not a round's thread, a bot, empty)."""
    if author.is_bot or place.thread_ref is None or not text.strip():
        return None
    thread_ref = place.thread_ref
    return await core.db.run(
        lambda uow: _record(
            uow, core, uow.rounds.by_thread(thread_ref), author, message_ref, text, now
        )
    )


async def submit_answer(
    core: Core, author: Actor, round_id: int, message_ref: str, text: str, now: datetime
) -> AnswerReceipt | None:
    """An answer given without a thread message (a Discord modal, a Slack dialog)."""
    if author.is_bot or not text.strip():
        return None
    return await core.db.run(
        lambda uow: _record(uow, core, uow.rounds.get(round_id), author, message_ref, text, now)
    )


def _record(
    uow: UnitOfWork,
    core: Core,
    round_: Round | None,
    author: Actor,
    ref: str,
    text: str,
    now: datetime,
) -> AnswerReceipt | None:
    if round_ is None or round_.status == "skipped":
        return None
    member_id = uow.members.ensure(author)
    if round_.mode == "on_demand" and member_id != round_.requested_by:
        return None
    late = round_.is_closed_at(now)
    stored = text[:MAX_ANSWER_CHARS]
    answer = uow.answers.of_member(round_.id, member_id, late)
    answer_id = answer.id if answer else uow.answers.create(round_.id, member_id, late, stored, now)
    if not uow.answers.add_message(answer_id, round_.id, ref, stored, now):
        return None  # the same message delivered twice (a reconnect, a retried event)
    if answer is not None:
        uow.answers.refresh_text(answer_id, now, MAX_ANSWER_CHARS)
    reveal = None
    if answer is None:
        _count_practice(uow, round_, member_id, now)
        reveal = _reveal(uow, core, round_) if round_.mode == "on_demand" and not late else None
    uow.commit()
    return AnswerReceipt(
        answer_id, round_.id, answer is None, late, len(text) > MAX_ANSWER_CHARS, reveal
    )


def _count_practice(uow: UnitOfWork, round_: Round, member_id: int, now: datetime) -> None:
    """A first answer extends the streak; an on-time on-demand answer also scores participation."""
    zone = uow.channels.timezone(round_.channel_id)
    if zone is None:
        return
    today = local_date(now, ZoneInfo(zone))
    state = uow.scores.streak(round_.channel_id, member_id)
    uow.scores.save_streak(round_.channel_id, member_id, record_day(state, today))
    if round_.mode == "on_demand" and not round_.is_closed_at(now):
        uow.scores.settle(round_.id, round_.channel_id, today, [RoundScore(member_id, 1, 0, 0)])


def _reveal(uow: UnitOfWork, core: Core, round_: Round) -> ResultsCard | None:
    drill = catalogue_for(uow, core, round_.channel_id).get(round_.drill_id)
    return ResultsCard(round_.id, drill, (), 1, 0, on_demand=True) if drill else None


async def edit_message(
    core: Core, place: Place, message_ref: str, text: str, now: datetime
) -> bool:
    """Apply an edit to a stored answer message; False when the message is not part of an answer."""
    return await _change(core, place, message_ref, now, text=text[:MAX_ANSWER_CHARS])


async def delete_message(core: Core, place: Place, message_ref: str, now: datetime) -> bool:
    """Withdraw a message from its answer; an answer with no messages left is withdrawn."""
    return await _change(core, place, message_ref, now, deleted=True)


async def _change(
    core: Core, place: Place, message_ref: str, now: datetime, **values: object
) -> bool:
    thread_ref = place.thread_ref
    if thread_ref is None:
        return False

    def work(uow: UnitOfWork) -> bool:
        round_ = uow.rounds.by_thread(thread_ref)
        answer_id = uow.answers.message_answer(round_.id, message_ref) if round_ else None
        if round_ is None or answer_id is None:
            return False
        uow.answers.change_message(round_.id, message_ref, **values)
        uow.answers.refresh_text(answer_id, now, MAX_ANSWER_CHARS)
        uow.commit()
        return True

    return await core.db.run(work)
