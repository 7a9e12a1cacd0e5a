"""A member's first message in a daily round: the answer starts, and counts its drill day when
long enough, in one write (one statement on PostgreSQL, which then needs no transaction)."""

from __future__ import annotations

from datetime import datetime

from bot.core.cards import AnswerReceipt
from bot.core.model import Actor
from bot.core.services import attendance
from bot.core.streaks import Change
from bot.core.text import MAX_ANSWER_CHARS
from bot.core.vocab import RoundMode
from bot.storage.uow import AnswerContext, Duplicate, GuessedFrom, NewAnswer, UnitOfWork


def start(
    uow: UnitOfWork,
    here: AnswerContext,
    author: Actor,
    ref: str,
    text: str,
    late: bool,
    judged: bool,
    now: datetime,
) -> AnswerReceipt | None:
    """A member's first message in a daily round starts their answer (late or on time) and, when
    long enough, counts its drill day: all one write (one statement on PostgreSQL)."""
    round_, channel = here.round, here.channel
    stored = text[:MAX_ANSWER_CHARS]
    counts = len(stored.strip()) >= channel.settings.min_answer_chars
    new = _new_answer(uow, here, author, ref, stored, late, now, counts)
    try:
        started = uow.answering.start(new)
    except Duplicate:
        # A concurrent delivery got there first: run again in a transaction, which reads it.
        uow.require_transaction()
        raise
    if started is None:
        return None  # the same message delivered twice (a reconnect, a retried event)
    answer_id, member_id, number, news = started
    receipt = AnswerReceipt(
        answer_id,
        round_.id,
        True,
        late,
        len(text) > MAX_ANSWER_CHARS,
        number=number,
        too_short=0 if counts else channel.settings.min_answer_chars,
        news=tuple(attendance.news(uow, channel, member_id)) if news else (),
        after_review=judged and not round_.is_closed_at(now),
        hidden=round_.hidden_at(now),
    )
    uow.commit()
    return receipt


def _new_answer(
    uow: UnitOfWork,
    here: AnswerContext,
    author: Actor,
    ref: str,
    stored: str,
    late: bool,
    now: datetime,
    counts: bool,
) -> NewAnswer:
    """What to write: the answer and, when it counts, the streak day it adds."""
    state, changes = here.mine.streak, list[Change]()
    if counts:
        day = here.round.local_date
        state, changes = attendance.next_state(uow, here.channel.id, here.member_id, day, state)
    return NewAnswer(
        round_id=here.round.id,
        channel_id=here.channel.id,
        author=author,
        known_id=here.member_id,
        known_name=here.member_name,
        late=late,
        message_ref=ref,
        text=stored,
        now=now,
        streak=state if changes else None,
        changes=changes,
        was=here.mine.streak,
        guess=_checks(here) if here.guessed else None,
    )


def fits(here: AnswerContext, now: datetime) -> bool:
    """A recalled context leads straight to a first on-time answer in a daily round (nothing to
    refuse, nothing late, nothing hidden), which ``start`` writes in one statement that checks
    it still holds."""
    round_ = here.round  # answers_closed_at covers a round that is no longer open
    return (
        round_.mode is RoundMode.DAILY
        and not round_.answers_closed_at(now)
        and not round_.hidden_at(now)
    )


def _checks(here: AnswerContext) -> GuessedFrom:
    round_ = here.round
    return GuessedFrom(
        round_.status.value,
        round_.closes_at,
        round_.answers_close_at,
        here.channel.settings.min_answer_chars,
    )
