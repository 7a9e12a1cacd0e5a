"""Votes: one row per voter and answer; voting again withdraws it."""

from __future__ import annotations

from datetime import datetime

from bot.core.cards import Reply, VoteReceipt, refuse
from bot.core.model import Actor
from bot.core.services.context import Core
from bot.core.text import defang_mentions
from bot.core.wording import vote_receipt
from bot.storage.uow import UnitOfWork


async def toggle_vote(
    core: Core, voter: Actor, answer_id: int, now: datetime, request_key: str | None = None
) -> Reply:
    """Cast or withdraw ``voter``'s vote, refusing votes that the rules do not allow.

    ``request_key`` is the platform's id for the click; a redelivered click changes nothing.
    """
    if voter.is_bot:
        return refuse("Bots cannot vote.")
    return await core.db.run(lambda uow: _toggle(uow, voter, answer_id, now, request_key))


def _toggle(
    uow: UnitOfWork, voter: Actor, answer_id: int, now: datetime, request_key: str | None
) -> Reply:
    target = uow.answers.vote_target(answer_id)
    if target is None or target.withdrawn:
        return refuse(f"There is no answer {answer_id} to vote for.")
    if target.mode != "daily":
        return refuse("On-demand drills are practice for one member; they take no votes.")
    if target.late:
        return refuse("That answer came after the round closed, so it is not in the vote.")
    if target.status != "open" or now >= target.closes_at:
        return refuse("Voting has closed for this round; the results are in the thread.")
    voter_id = uow.members.ensure(voter)
    if voter_id == target.author_id:
        return refuse("You cannot vote for your own answer.")
    if request_key is None or uow.answers.claim_request(f"vote:{request_key}", now):
        voted = uow.answers.toggle_vote(answer_id, voter_id, now)
    else:
        voted = uow.answers.has_vote(answer_id, voter_id)
    count = uow.answers.vote_count(answer_id)
    uow.commit()
    text = vote_receipt(defang_mentions(target.author_name), count, voted)
    return Reply(VoteReceipt(text, answer_id, count, voted))
