"""Answers: a member's messages in a round's thread, joined; edits update, deletions withdraw."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from enum import StrEnum

from bot.core.cards import AnswerReceipt, ResultsCard
from bot.core.model import Actor, Channel, Place, Round
from bot.core.schedule import local_date
from bot.core.scoring import ANSWER_POINTS, RoundScore
from bot.core.services import attendance, first_answer
from bot.core.services.context import Core, catalogue_for
from bot.core.streaks import StreakState
from bot.core.text import MAX_ANSWER_CHARS, clean_input
from bot.core.vocab import RoundMode, RoundStatus
from bot.storage.uow import AnswerContext, ContextChanged, StreakChanged, UnitOfWork


async def receive_message(
    core: Core, author: Actor, place: Place, message_ref: str, text: str, now: datetime
) -> AnswerReceipt | None:
    """A message in a thread; None when it is not an answer (not a round's thread, a bot, empty)."""
    text = clean_input(text)
    thread = place.thread_ref
    if author.is_bot or thread is None or not text.strip():
        return None

    def work(uow: UnitOfWork) -> AnswerReceipt | None:
        guess = uow.answering.guess_in_thread(place, thread, author) if uow.autocommit else None
        if guess is not None and first_answer.fits(guess, now):
            try:
                return first_answer.start(
                    uow, guess, author, message_ref, text, late=False, judged=False, now=now
                )
            except (ContextChanged, StreakChanged):
                pass  # what was recalled no longer holds, and nothing was written: read it
        here = uow.answering.in_thread(place, thread, author)
        return _from_thread(uow, core, here, author, message_ref, text, now)

    return await _recorded(core, work)


async def _recorded(
    core: Core, work: Callable[[UnitOfWork], AnswerReceipt | None]
) -> AnswerReceipt | None:
    # A first answer in a round is one statement on PostgreSQL, which needs no transaction; the
    # work asks for one when it writes more.
    return await core.db.run(work, autocommit=True)


def _from_thread(
    uow: UnitOfWork,
    core: Core,
    here: AnswerContext | None,
    author: Actor,
    ref: str,
    text: str,
    now: datetime,
) -> AnswerReceipt | None:
    """A blind round takes no answers in its thread while they are private: the member is told
    to answer privately instead, and nothing is stored. After the reveal a thread message is a
    late answer, as in any round (Slack has no other way to give one: commands do not work in
    threads, and in the channel they reach the newest drill)."""
    if here is not None and here.round.hidden_at(now):
        return AnswerReceipt(0, here.round.id, False, False, False, blind=True)
    return _record(uow, core, here, author, ref, text, now)


async def submit_answer(
    core: Core, author: Actor, round_id: int, message_ref: str, text: str, now: datetime
) -> AnswerReceipt | None:
    """An answer given without a thread message (a Discord modal, a Slack dialog). The round
    counts only when its channel is in the author's own space: a form's round id is forgeable."""
    text = clean_input(text)
    if author.is_bot or not text.strip():
        return None

    def work(uow: UnitOfWork) -> AnswerReceipt | None:
        here = uow.answering.in_space(round_id, author)
        return _record(uow, core, here, author, message_ref, text, now)

    return await _recorded(core, work)


def _record(
    uow: UnitOfWork,
    core: Core,
    here: AnswerContext | None,
    author: Actor,
    ref: str,
    text: str,
    now: datetime,
) -> AnswerReceipt | None:
    if here is None or here.round.status is RoundStatus.SKIPPED:
        return None
    round_, channel, mine = here.round, here.channel, here.mine
    if round_.mode is RoundMode.ON_DEMAND and here.member_id != round_.requested_by:
        return None
    # Reviewing shows the rubric: an answer begun after the member's first review is late.
    judged = round_.mode is RoundMode.DAILY and mine.reviewed
    late = round_.answers_closed_at(now) or (judged and mine.on_time is None)
    answer = mine.late if late else mine.on_time
    if answer is not None and len(answer.text) >= MAX_ANSWER_CHARS:
        return AnswerReceipt(answer.id, round_.id, False, late, True, full=True)
    if answer is None and round_.mode is RoundMode.DAILY:
        return first_answer.start(uow, here, author, ref, text, late, judged, now)
    uow.require_transaction()
    member_id = uow.members.ensure(author)
    stored = text[:MAX_ANSWER_CHARS]
    total = len(text) if answer is None else len(answer.text) + 1 + len(text)
    answer_id = _store(
        uow, round_, member_id, answer.id if answer else None, late, ref, stored, now
    )
    if answer_id is None:
        return None  # the same message delivered twice (a reconnect, a retried event)
    full = stored if answer is None else answer.text
    if answer is not None and not (judged and not late):
        full = uow.answers.refresh_text(answer_id, now, MAX_ANSWER_CHARS)
    counts = len(full.strip()) >= channel.settings.min_answer_chars
    if counts:
        _credit(uow, channel, round_, member_id, now, mine.streak)
    reveal = _reveal(uow, core, round_) if answer is None and _reveals(round_, late) else None
    receipt = AnswerReceipt(
        answer_id,
        round_.id,
        answer is None,
        late,
        total > MAX_ANSWER_CHARS,
        reveal,
        number=uow.answers.number_in_round(round_.id, answer_id),
        too_short=0 if counts else channel.settings.min_answer_chars,
        news=tuple(attendance.news(uow, channel, member_id)),
        after_review=judged and not round_.is_closed_at(now),
        hidden=round_.hidden_at(now),
    )
    uow.commit()
    return receipt


def _store(
    uow: UnitOfWork,
    round_: Round,
    member_id: int,
    answer_id: int | None,
    late: bool,
    ref: str,
    text: str,
    now: datetime,
) -> int | None:
    """Keep the message (starting a new answer when ``answer_id`` is None): the answer's id; None
    when this message was kept before (then nothing may be committed)."""
    if answer_id is None:
        answer_id, _ = uow.answers.create(round_.id, member_id, late, text, now)
    if not uow.answers.add_message(answer_id, round_.id, ref, text, now):
        return None
    return answer_id


def _reveals(round_: Round, late: bool) -> bool:
    return round_.mode is RoundMode.ON_DEMAND and not late


def _credit(
    uow: UnitOfWork,
    channel: Channel,
    round_: Round,
    member_id: int,
    now: datetime,
    streak: StreakState,
) -> None:
    """A long-enough answer counts its drill day for the streak; on-demand also scores, capped.

    A daily answer (late included) counts the drill's own date. An on-demand answer counts today
    only when today is a drill day, and earns participation points at most once per local day,
    so practice can never outscore the daily drill.
    """
    today = local_date(now, channel.settings.zone)
    if round_.mode is RoundMode.DAILY:
        attendance.count_day(uow, channel.id, member_id, round_.local_date, now, streak)
        return
    if uow.rounds.is_drill_day(channel.id, today):
        attendance.count_day(uow, channel.id, member_id, today, now, streak)
    practised = uow.scores.on_demand_points(channel.id, member_id, today)
    if not round_.is_closed_at(now) and practised < ANSWER_POINTS:
        uow.scores.settle(round_.id, channel.id, today, [RoundScore(member_id, 1, 0, 0)])


def _reveal(uow: UnitOfWork, core: Core, round_: Round) -> ResultsCard | None:
    drill = catalogue_for(uow, core, round_.channel_id).get(round_.drill_id)
    return ResultsCard(round_.id, drill, (), 1, 0, on_demand=True) if drill else None


class Edit(StrEnum):
    """What became of an edit or deletion of a thread message."""

    UPDATED = "updated"  # the answer reads differently now
    KEPT_AS_JUDGED = "kept-as-judged"  # the round had closed: recorded, the judged answer unchanged
    KEPT_AFTER_REVIEW = "kept-after-review"  # the author has reviewed (seen the rubric): unchanged
    ALREADY_DELETED = "already-deleted"
    NOT_YOURS = "not-yours"  # an edit that claims to be someone else's message
    NOT_AN_ANSWER = "not-an-answer"


async def edit_message(
    core: Core, place: Place, message_ref: str, text: str, now: datetime, editor: Actor
) -> Edit:
    """Apply an author's edit to a stored answer message."""
    values = {"text": clean_input(text)[:MAX_ANSWER_CHARS]}
    return await core.db.run(lambda uow: _change(uow, place, message_ref, now, editor, values))


async def delete_message(core: Core, place: Place, message_ref: str, now: datetime) -> Edit:
    """Withdraw a message from its answer; an answer with no messages left is withdrawn."""
    values = {"deleted": True}
    return await core.db.run(lambda uow: _change(uow, place, message_ref, now, None, values))


def _change(
    uow: UnitOfWork,
    place: Place,
    message_ref: str,
    now: datetime,
    editor: Actor | None,
    values: Mapping[str, object],
) -> Edit:
    here = _round_at(uow, place)
    round_ = here[0] if here else None
    state = uow.answers.message_state(round_.id, message_ref) if round_ else None
    if round_ is None or state is None:
        return Edit.NOT_AN_ANSWER
    answer_id, deleted = state
    if deleted:
        return Edit.ALREADY_DELETED
    if editor is not None and uow.answers.author_of(answer_id) != uow.members.find(
        editor.platform, editor.space_ref, editor.user_ref
    ):
        return Edit.NOT_YOURS
    uow.answers.change_message(round_.id, message_ref, **values)
    outcome = Edit.UPDATED
    if round_.is_closed_at(now):
        outcome = Edit.KEPT_AS_JUDGED
    elif editor is not None and _reviewed(uow, round_, answer_id):
        outcome = Edit.KEPT_AFTER_REVIEW
    if outcome is Edit.UPDATED:  # a closed round's answers are history: what was judged stays
        uow.answers.refresh_text(answer_id, now, MAX_ANSWER_CHARS)
    uow.commit()
    return outcome


def _reviewed(uow: UnitOfWork, round_: Round, answer_id: int) -> bool:
    """The author has seen the rubric by reviewing: their edits no longer change the answer."""
    author = uow.answers.author_of(answer_id)
    return author is not None and uow.reviews.has_reviewed(round_.id, author)


def _round_at(uow: UnitOfWork, place: Place) -> tuple[Round, Channel] | None:
    """The round whose thread this is, provided the thread belongs to the place's channel."""
    if place.thread_ref is None:
        return None
    return uow.answering.round_in_thread(place, place.thread_ref)


async def message_author(
    core: Core, platform: str, space_ref: str, message_ref: str
) -> tuple[str, str | None] | None:
    """Who wrote a stored answer message, and in which thread: a platform that keeps no message
    history of its own (the console) asks here after a restart."""
    return await core.db.run(
        lambda uow: uow.answers.message_author(platform, space_ref, message_ref)
    )
