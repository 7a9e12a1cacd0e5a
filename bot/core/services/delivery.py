"""Sending what the outbox holds: lease a post, render its card, send, record the outcome.

A post is claimed in the database before it is sent, and leased while it is being sent, so two
workers never send it together; a failed send keeps its claim and is retried with backoff.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from bot.core import keys
from bot.core.cards import Card, DrillCard, ResultsCard
from bot.core.model import Channel, PostJob, Round
from bot.core.ports import Platform, Posted, SendFailed
from bot.core.scoring import top_answers
from bot.core.services.context import Core, catalogue_for
from bot.core.services.standings import weekly_card
from bot.core.vocab import PostKind, PostStatus
from bot.storage.uow import UnitOfWork

log = logging.getLogger(__name__)
MAX_BACKOFF = timedelta(minutes=30)
BATCH = 100


class NotReady(Exception):
    """The post depends on another that has not gone out yet."""


class NothingToSend(Exception):
    """The post has nothing worth showing (a week with no activity); it is recorded as skipped."""


@dataclass(frozen=True)
class Outgoing:
    channel: Channel
    thread_ref: str | None
    card: Card


async def deliver_due(
    core: Core, platforms: Mapping[str, Platform], now: datetime, concurrency: int = 1
) -> int:
    """Send every post that is due, batch after batch; returns how many went out.

    With ``concurrency`` above one, that many posts are in flight at once, so one post's database
    work overlaps another's request (the order of posts is then no longer strict).
    """
    sent = 0
    lanes = asyncio.Semaphore(concurrency)

    async def one(job: PostJob) -> int:
        async with lanes:
            return await deliver_one(core, platforms, job, now)

    while True:
        jobs = await core.db.run(lambda uow: uow.posts.due(now, BATCH))
        sent += sum(await asyncio.gather(*(one(job) for job in jobs)))
        if len(jobs) < BATCH:
            return sent


async def deliver_one(
    core: Core, platforms: Mapping[str, Platform], job: PostJob, now: datetime
) -> int:
    if not await core.db.run(partial(_lease, job=job, now=now, until=now + core.send_lease)):
        return 0
    try:
        outgoing = await core.db.run(partial(_prepare, core=core, job=job, now=now))
        platform = platforms[outgoing.channel.platform]
        posted = await platform.deliver(
            outgoing.channel.channel_ref, outgoing.thread_ref, outgoing.card, job.claim_key
        )
    except NotReady as waiting:
        await _retry(core, job, str(waiting), now + timedelta(minutes=1))
        return 0
    except NothingToSend as empty:
        await _skip(core, job, str(empty))
        return 0
    except SendFailed as failure:
        await _record_failure(core, job, failure, now)
        return 0
    except Exception as error:  # a platform bug or network fault must not stop the other posts
        log.exception("post %s raised", job.claim_key, extra=_context(job))
        await _record_failure(core, job, SendFailed(f"{type(error).__name__}: {error}"), now)
        return 0
    await _record_sent(core, job, posted, now)
    return 1


def _lease(uow: UnitOfWork, job: PostJob, now: datetime, until: datetime) -> bool:
    leased = uow.posts.lease(job.id, now, until)
    uow.commit()
    return leased


def _prepare(uow: UnitOfWork, core: Core, job: PostJob, now: datetime) -> Outgoing:
    channel = uow.channels.get(job.channel_id)
    round_ = uow.rounds.get(job.round_id) if job.round_id else None
    if channel is None:
        raise SendFailed("the channel is no longer registered", permanent=True)
    if job.kind is PostKind.LEADERBOARD and job.week_start:
        card = weekly_card(uow, channel, job.week_start, now)
        if not card.standings:
            raise NothingToSend("nobody scored that week")
        return Outgoing(channel, None, card)
    if round_ is None:
        raise SendFailed(f"post {job.claim_key} has no round", permanent=True)
    if job.kind is PostKind.DRILL:
        return Outgoing(channel, None, _drill_card(uow, core, channel, round_, now))
    return Outgoing(channel, round_.thread_ref, _results_card(uow, core, round_))


def _drill_card(
    uow: UnitOfWork, core: Core, channel: Channel, round_: Round, now: datetime
) -> DrillCard:
    if round_.is_closed_at(now):
        raise SendFailed(
            "the round's answer window ended before it could be posted", permanent=True
        )
    drill = catalogue_for(uow, core, channel.id).get(round_.drill_id)
    if drill is None:
        raise SendFailed(f"drill {round_.drill_id} is no longer in the bank", permanent=True)
    return DrillCard(round_.id, round_.mode, drill, round_.closes_at, channel.settings.timezone)


def _results_card(uow: UnitOfWork, core: Core, round_: Round) -> ResultsCard:
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
    return ResultsCard(round_.id, drill, tuple(top), len(tallies), voters, others=others)


def _context(job: PostJob) -> dict[str, object]:
    """Fields for JSON log lines, so one post's story can be followed across restarts."""
    return {"post": job.claim_key, "channel_id": job.channel_id, "round_id": job.round_id}


async def _record_sent(core: Core, job: PostJob, posted: Posted, now: datetime) -> None:
    log.info("posted %s as %s", job.claim_key, posted.message_ref, extra=_context(job))

    def work(uow: UnitOfWork) -> None:
        uow.posts.mark_sent(job.id, now, posted.message_ref, posted.thread_ref)
        if job.kind is PostKind.DRILL and job.round_id is not None:
            uow.rounds.set_place(job.round_id, posted.message_ref, posted.thread_ref)
        uow.commit()

    await core.db.run(work)


async def _record_failure(core: Core, job: PostJob, failure: SendFailed, now: datetime) -> None:
    reason = failure.reason if not failure.admin_hint else f"{failure.reason}. {failure.admin_hint}"
    log.warning(
        "post %s failed (attempt %d): %s",
        job.claim_key,
        job.attempts + 1,
        reason,
        extra=_context(job),
    )
    if failure.permanent:
        await core.db.run(partial(_finish, post_id=job.id, status=PostStatus.FAILED, reason=reason))
        return
    await _retry(core, job, reason, now + backoff(job.attempts + 1, failure.retry_after))


async def _skip(core: Core, job: PostJob, reason: str) -> None:
    await core.db.run(partial(_finish, post_id=job.id, status=PostStatus.SKIPPED, reason=reason))


def _finish(uow: UnitOfWork, post_id: int, status: PostStatus, reason: str) -> None:
    uow.posts.mark_finished(post_id, status, reason)
    uow.commit()


async def _retry(core: Core, job: PostJob, reason: str, at: datetime) -> None:
    def work(uow: UnitOfWork) -> None:
        uow.posts.mark_retry(job.id, reason, at)
        uow.commit()

    await core.db.run(work)


def backoff(attempt: int, retry_after: float | None) -> timedelta:
    """Exponential from 15 s, capped; never sooner than the platform asked."""
    wait = min(MAX_BACKOFF, timedelta(seconds=15 * 2 ** min(attempt - 1, 10)))
    return max(wait, timedelta(seconds=retry_after or 0))
