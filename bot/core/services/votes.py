"""Votes: one row per voter and answer; voting again withdraws it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.core import keys
from bot.core.cards import Reply, VoteReceipt, refuse
from bot.core.errors import StorageUnavailable
from bot.core.model import Actor, Place, Round
from bot.core.services.context import Core
from bot.core.text import defang_mentions
from bot.core.vocab import RoundMode, RoundStatus
from bot.core.wording import vote_receipt
from bot.storage.uow import UnitOfWork, VoteTarget

COULD_NOT_RECORD = "Couldn't record your vote: please try again in a minute."


async def toggle_vote(
    core: Core,
    voter: Actor,
    place: Place,
    answer_id: int,
    now: datetime,
    request_key: str | None = None,
) -> Reply:
    """Cast or withdraw ``voter``'s vote (a button), refusing votes the rules do not allow.

    The answer must belong to a round of the place's channel: a button or id from another
    channel or workspace changes nothing. ``request_key`` is the platform's id for the click;
    a redelivered click changes nothing.
    """
    if voter.is_bot:
        return refuse("Bots cannot vote.")

    def work(uow: UnitOfWork) -> Reply:
        return _toggle(uow, voter, answer_id, now, request_key, place)

    return await _recorded(core, work)


async def vote_by_number(
    core: Core, voter: Actor, place: Place, number: int, now: datetime, request_key: str
) -> Reply:
    """``vote N``: answer N of the round in this thread, else of the channel's open daily drill."""
    if voter.is_bot:
        return refuse("Bots cannot vote.")

    def work(uow: UnitOfWork) -> Reply:
        round_ = _round_here(uow, place, now)
        answer_id = uow.answers.by_number(round_.id, number) if round_ else None
        if answer_id is None:
            return refuse(f"There is no answer {number} in this drill's round.")
        return _toggle(uow, voter, answer_id, now, request_key)

    return await _recorded(core, work)


async def _recorded(core: Core, work: Callable[[UnitOfWork], Reply]) -> Reply:
    """The vote's reply; with the database locked or down, the member is told to try again."""
    try:
        # A vote's only write is one statement (claim, cast or withdraw), atomic by itself.
        return await core.db.run(work, autocommit=True)
    except StorageUnavailable:
        return refuse(COULD_NOT_RECORD)


HIDDEN = "This drill is blind: answers are revealed together when its answer window ends."
NO_SUCH_ANSWER = "That answer is not in a drill of this channel; nothing was recorded."


def _channel_of(place: Place) -> tuple[str, str, str]:
    return place.platform, place.space_ref, place.channel_ref


def _round_here(uow: UnitOfWork, place: Place, now: datetime) -> Round | None:
    channel = uow.channels.find(place.platform, place.space_ref, place.channel_ref)
    return round_in(uow, channel.id, place, now) if channel is not None else None


def round_in(uow: UnitOfWork, channel_id: int, place: Place, now: datetime) -> Round | None:
    """What ``vote N`` and ``review N`` number within: the round of this thread (if it belongs to
    the channel), else the channel's newest open daily round whose answers are shown."""
    if place.thread_ref is not None:
        round_ = uow.rounds.by_thread(place.thread_ref)
        if round_ is not None and round_.channel_id == channel_id:
            return round_
    return uow.rounds.latest_open_daily(channel_id, shown_at=now)


def _toggle(
    uow: UnitOfWork,
    voter: Actor,
    answer_id: int,
    now: datetime,
    request_key: str | None,
    place: Place | None = None,
) -> Reply:
    """``place``: where a button was clicked; an answer of another channel is refused."""
    voter_id = uow.members.ensure(voter)
    claim_key = keys.vote_request(request_key) if request_key is not None else None
    channel = _channel_of(place) if place is not None else None
    target, clicked = uow.votes.click(answer_id, voter_id, now, claim_key, channel)
    refusal = _refusal(target, voter_id, now, channel)
    if refusal is not None or target is None:
        return refuse(refusal or NO_SUCH_ANSWER)
    if clicked is None:  # SQLite: the claim and the cast are two writes
        uow.require_transaction()
        clicked = uow.votes.toggle(answer_id, voter_id, now, claim_key)
    voted, count = clicked
    uow.commit()
    text = vote_receipt(defang_mentions(target.author_name), count, voted)
    return Reply(VoteReceipt(text, answer_id, count, voted, target.author_name))


def _refusal(
    target: VoteTarget | None, voter_id: int, now: datetime, channel: tuple[str, str, str] | None
) -> str | None:
    """Why the rules refuse this vote, if they do (``VoteRepo.click`` mirrors them in SQL)."""
    if target is None or (channel is not None and target.channel != channel):
        return NO_SUCH_ANSWER
    if target.withdrawn:
        return "That answer was withdrawn; there is nothing to vote for."
    if target.mode is not RoundMode.DAILY:
        return "On-demand drills are for one member; they take no votes."
    if target.late:
        return "That answer came after the round closed, so it is not in the vote."
    if target.status is not RoundStatus.OPEN or now >= target.closes_at:
        return "Voting has closed for this round; the results are in the thread."
    if target.answers_close_at is not None and now < target.answers_close_at:
        return HIDDEN
    if voter_id == target.author_id:
        return "You cannot vote for your own answer."
    return None
