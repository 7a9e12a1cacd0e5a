"""Ballots: which new answers members can vote for, queued in the outbox as a Vote button.

Platforms with vote buttons (Discord, Slack) show one small post per answer in the round's thread;
this use case decides whether an answer gets one, so the adapter keeps no rule of its own. The
ballot is an outbox post (``keys.ballot_post``), retried like a drill until it goes out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core import keys
from bot.core.cards import AnswerReceipt
from bot.core.model import NewPost, PostContent, PostJob
from bot.core.services.context import Core
from bot.core.vocab import PostKind, RoundMode, RoundStatus
from bot.storage.uow import UnitOfWork


@dataclass(frozen=True)
class Ballot:
    """An answer open to votes: its id (the button's value), author, round thread and its number
    in the round (what ``vote N`` takes and what members see)."""

    answer_id: int
    author_name: str
    thread_ref: str
    channel_id: int
    round_id: int
    number: int = 0


async def ballot_for(core: Core, receipt: AnswerReceipt, now: datetime) -> Ballot | None:
    """A ballot for a newly created, on-time answer of an open daily round; None otherwise."""
    if not receipt.created or receipt.late:
        return None
    return await core.db.run(lambda uow: _ballot(uow, receipt, now))


async def queue_ballot(core: Core, receipt: AnswerReceipt, now: datetime) -> PostJob | None:
    """Claim the ballot post of a new answer that takes votes; the post (new or claimed before)."""
    if not receipt.created or receipt.late:
        return None
    return await core.db.run(lambda uow: _queue(uow, receipt, now))


def _queue(uow: UnitOfWork, receipt: AnswerReceipt, now: datetime) -> PostJob | None:
    ballot = _ballot(uow, receipt, now)
    if ballot is None:
        return None
    key = keys.ballot_post(ballot.answer_id)
    post = NewPost(ballot.channel_id, PostKind.BALLOT, ballot.round_id)
    uow.posts.claim(key, now, post, PostContent(answer_id=ballot.answer_id))
    uow.commit()
    return uow.posts.get(key)


def _ballot(uow: UnitOfWork, receipt: AnswerReceipt, now: datetime) -> Ballot | None:
    target = uow.votes.target(receipt.answer_id)
    round_ = uow.rounds.get(receipt.round_id)
    if target is None or round_ is None or round_.thread_ref is None:
        return None
    if round_.hidden_at(now):
        return None  # a blind round's ballots go out together when its answers are revealed
    open_to_votes = target.status is RoundStatus.OPEN and now < target.closes_at
    if target.mode is not RoundMode.DAILY or target.late or target.withdrawn or not open_to_votes:
        return None
    number = uow.answers.number_in_round(round_.id, target.answer_id)
    return Ballot(
        target.answer_id,
        target.author_name,
        round_.thread_ref,
        round_.channel_id,
        round_.id,
        number,
    )
