"""Answers: a member's messages in a round's thread, joined; edits update, deletions withdraw."""

from __future__ import annotations

from datetime import datetime

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
    async with core.uow() as uow:
        round_ = await uow.rounds.by_thread(place.thread_ref)
        if round_ is None or round_.status == "skipped":
            return None
        receipt = await _record(uow, core, round_, author, message_ref, text, now)
        await uow.commit()
        return receipt


async def submit_answer(
    core: Core, author: Actor, round_id: int, message_ref: str, text: str, now: datetime
) -> AnswerReceipt | None:
    """An answer given without a thread message (a Discord modal, a Slack dialog)."""
    if author.is_bot or not text.strip():
        return None
    async with core.uow() as uow:
        round_ = await uow.rounds.get(round_id)
        if round_ is None or round_.status == "skipped":
            return None
        receipt = await _record(uow, core, round_, author, message_ref, text, now)
        await uow.commit()
        return receipt


async def _record(
    uow: UnitOfWork, core: Core, round_: Round, author: Actor, ref: str, text: str, now: datetime
) -> AnswerReceipt | None:
    member_id = await uow.members.ensure(author)
    if round_.mode == "on_demand" and member_id != round_.requested_by:
        return None
    late = round_.is_closed_at(now)
    answer = await uow.answers.of_member(round_.id, member_id, late)
    answer_id = answer.id if answer else await uow.answers.create(round_.id, member_id, late, now)
    stored = text[:MAX_ANSWER_CHARS]
    if not await uow.answers.add_message(answer_id, round_.id, ref, stored, now):
        return None  # the same message delivered twice (a reconnect, a retried event)
    await uow.answers.refresh_text(answer_id, now, MAX_ANSWER_CHARS)
    if answer is None:
        await _count_practice(uow, round_, member_id, now)
    reveal = None
    if answer is None and round_.mode == "on_demand" and not late:
        reveal = await _reveal(uow, core, round_)
    return AnswerReceipt(
        answer_id, round_.id, answer is None, late, len(text) > MAX_ANSWER_CHARS, reveal
    )


async def _count_practice(uow: UnitOfWork, round_: Round, member_id: int, now: datetime) -> None:
    """A first answer extends the streak; an on-time on-demand answer also scores participation."""
    channel = await uow.channels.get(round_.channel_id)
    if channel is None:
        return
    today = local_date(now, channel.settings.zone)
    state = await uow.scores.streak(channel.id, member_id)
    await uow.scores.save_streak(channel.id, member_id, record_day(state, today))
    if round_.mode == "on_demand" and not round_.is_closed_at(now):
        await uow.scores.settle(round_.id, channel.id, today, [RoundScore(member_id, 1, 0, 0)])


async def _reveal(uow: UnitOfWork, core: Core, round_: Round) -> ResultsCard | None:
    drill = (await catalogue_for(uow, core, round_.channel_id)).get(round_.drill_id)
    return ResultsCard(round_.id, drill, (), 1, 0, practice=True) if drill else None


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
    if place.thread_ref is None:
        return False
    async with core.uow() as uow:
        round_ = await uow.rounds.by_thread(place.thread_ref)
        answer_id = await uow.answers.message_answer(round_.id, message_ref) if round_ else None
        if round_ is None or answer_id is None:
            return False
        await uow.answers.change_message(round_.id, message_ref, **values)
        await uow.answers.refresh_text(answer_id, now, MAX_ANSWER_CHARS)
        await uow.commit()
        return True
