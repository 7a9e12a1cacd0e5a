"""Votes: one row per voter and answer; voting again withdraws it."""

from __future__ import annotations

from datetime import datetime

from bot.core.cards import Reply, VoteReceipt, refuse
from bot.core.model import Actor
from bot.core.services.context import Core
from bot.core.text import defang_mentions


async def toggle_vote(core: Core, voter: Actor, answer_id: int, now: datetime) -> Reply:
    """Cast or withdraw ``voter``'s vote, refusing votes that the rules do not allow."""
    if voter.is_bot:
        return refuse("Bots cannot vote.")
    async with core.uow() as uow:
        answer = await uow.answers.get(answer_id)
        round_ = await uow.rounds.get(answer.round_id) if answer else None
        if answer is None or round_ is None or answer.withdrawn:
            return refuse(f"There is no answer {answer_id} to vote for.")
        if round_.mode != "daily":
            return refuse("On-demand drills are practice for one member; they take no votes.")
        if answer.late:
            return refuse("That answer came after the round closed, so it is not in the vote.")
        if round_.is_closed_at(now):
            return refuse("Voting has closed for this round; the results are in the thread.")
        voter_id = await uow.members.ensure(voter)
        if voter_id == answer.member_id:
            return refuse("You cannot vote for your own answer.")
        voted = await uow.answers.toggle_vote(answer_id, voter_id, now)
        count = await uow.answers.vote_count(answer_id)
        author = await uow.members.name(answer.member_id)
        await uow.commit()
    verb = "Vote recorded for" if voted else "Vote withdrawn from"
    text = f"{verb} {defang_mentions(author)}'s answer (now {count})."
    return Reply(VoteReceipt(text, answer_id, count, voted))
