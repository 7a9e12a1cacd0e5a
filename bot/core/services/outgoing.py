"""What a post shows, prepared from the database just before it is sent (delivery's first step).

Each kind of post has one builder; a post that no longer makes sense fails for good or is skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.core import keys
from bot.core.cards import BallotCard, Card, DrillCard, Notice, ResultsCard
from bot.core.model import Channel, PostJob, Round
from bot.core.ports import SendFailed
from bot.core.scoring import top_answers
from bot.core.services import coaching
from bot.core.services.context import Core, catalogue_for
from bot.core.services.standings import weekly_card
from bot.core.vocab import PostKind, PostStatus, RoundStatus
from bot.storage.uow import UnitOfWork


class NotReady(Exception):
    """The post depends on another that has not gone out yet."""


class NothingToSend(Exception):
    """The post has nothing worth showing (a week with no activity); it is recorded as skipped."""


@dataclass(frozen=True)
class Outgoing:
    channel: Channel
    thread_ref: str | None
    card: Card


Builder = Callable[[UnitOfWork, Core, Channel, PostJob, datetime], Outgoing]


def prepare(uow: UnitOfWork, core: Core, job: PostJob, now: datetime) -> Outgoing:
    channel = uow.channels.get(job.channel_id)
    if channel is None:
        raise SendFailed("the channel is no longer registered", permanent=True)
    return BUILDERS[job.kind](uow, core, channel, job, now)


def _round(uow: UnitOfWork, job: PostJob) -> Round:
    round_ = uow.rounds.get(job.round_id) if job.round_id else None
    if round_ is None:
        raise SendFailed(f"post {job.claim_key} has no round", permanent=True)
    return round_


def _leaderboard(
    uow: UnitOfWork, core: Core, channel: Channel, job: PostJob, now: datetime
) -> Outgoing:
    if job.week_start is None:
        raise SendFailed(f"post {job.claim_key} has no week", permanent=True)
    card = weekly_card(uow, channel, job.week_start, now)
    if not card.standings:
        raise NothingToSend("nobody scored that week")
    return Outgoing(channel, None, card)


def _drill(uow: UnitOfWork, core: Core, channel: Channel, job: PostJob, now: datetime) -> Outgoing:
    round_ = _round(uow, job)
    if round_.is_closed_at(now):
        raise SendFailed(
            "the round's answer window ended before it could be posted", permanent=True
        )
    drill = catalogue_for(uow, core, channel.id).get(round_.drill_id)
    if drill is None:
        raise SendFailed(f"drill {round_.drill_id} is no longer in the bank", permanent=True)
    card = DrillCard(
        round_.id,
        round_.mode,
        drill,
        round_.closes_at,
        channel.settings.timezone,
        answers_close_at=round_.answers_close_at,
    )
    return Outgoing(channel, None, card)


def _results(
    uow: UnitOfWork, core: Core, channel: Channel, job: PostJob, now: datetime
) -> Outgoing:
    round_ = _round(uow, job)
    drill_post = uow.posts.get(keys.drill_post(round_.id))
    if drill_post is not None and drill_post.status is PostStatus.FAILED:
        raise SendFailed("the drill itself was never posted", permanent=True)
    if round_.message_ref is None:
        raise NotReady("waiting for the drill post to go out first")
    drill = catalogue_for(uow, core, round_.channel_id).get(round_.drill_id)
    if drill is None:
        raise SendFailed(f"drill {round_.drill_id} is no longer in the bank", permanent=True)
    tallies = uow.answers.tallies(round_.id)
    voters = uow.answers.voter_count(round_.id)
    top = top_answers(tallies)
    others = tuple(sorted((t for t in tallies if t not in top), key=lambda t: t.number))
    reviews = coaching.results_lines(uow, core, channel, round_, tallies)
    card = ResultsCard(
        round_.id, drill, tuple(top), len(tallies), voters, others=others, reviews=reviews
    )
    return Outgoing(channel, round_.thread_ref, card)


def _ballot(uow: UnitOfWork, core: Core, channel: Channel, job: PostJob, now: datetime) -> Outgoing:
    """The Vote button, while the answer stands and its round takes votes."""
    round_ = _round(uow, job)
    answer_id = uow.posts.content(job.id).answer_id
    target = uow.votes.target(answer_id) if answer_id is not None else None
    if target is None or target.withdrawn or round_.thread_ref is None:
        raise NothingToSend("the answer was withdrawn")
    if target.status is not RoundStatus.OPEN or now >= target.closes_at:
        raise NothingToSend("voting closed before the ballot could be posted")
    number = uow.answers.number_in_round(round_.id, target.answer_id)
    row = uow.answers.get(target.answer_id) if round_.blind else None
    card = BallotCard(target.answer_id, target.author_name, number, row.text if row else None)
    return Outgoing(channel, round_.thread_ref, card)


def _notice(uow: UnitOfWork, core: Core, channel: Channel, job: PostJob, now: datetime) -> Outgoing:
    body = uow.posts.content(job.id).body
    if not body:
        raise NothingToSend("the notice has no text")
    return Outgoing(channel, None, Notice(body))


BUILDERS: dict[PostKind, Builder] = {
    PostKind.DRILL: _drill,
    PostKind.RESULTS: _results,
    PostKind.LEADERBOARD: _leaderboard,
    PostKind.BALLOT: _ballot,
    PostKind.NOTICE: _notice,
}
