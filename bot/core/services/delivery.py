"""Sending what the outbox holds: lease a post, render its card, send, record the outcome.

A post is claimed in the database before it is sent, and leased while it is being sent, so two
workers never send it together; a failed send keeps its claim and is retried with backoff.

When an attempt's outcome is unknown (it timed out, or the process died holding the lease), the
lease is not released, and the next attempt first asks a platform that ``Adopts`` for the post made
under the post's key: a post found is adopted (recorded as sent, and the answers already given in
its thread kept) instead of being sent again.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import partial

from bot.core.model import PostJob
from bot.core.ports import Adopts, Platform, Posted, SendFailed
from bot.core.services import problems, recovery
from bot.core.services.context import Core
from bot.core.services.leaderboard_images import with_image
from bot.core.services.outgoing import NothingToSend, NotReady, Outgoing, prepare
from bot.core.vocab import PostKind, PostStatus
from bot.storage.uow import UnitOfWork

log = logging.getLogger(__name__)
MAX_BACKOFF = timedelta(minutes=30)
PROBLEM_BACKOFF = timedelta(minutes=30)  # faults only an admin can fix: 30 min doubling to 6 h
MAX_PROBLEM_BACKOFF = timedelta(hours=6)
LOOK_BACK = timedelta(minutes=5)  # clocks differ: look for a post a little before its claim
BATCH = 100  # posts read from the outbox at a time
__all__ = ["BATCH", "NotReady", "NothingToSend", "Outcome", "attempt", "backoff", "deliver_one"]


@dataclass(frozen=True)
class Outcome:
    """One attempt: sent (or adopted), or not, with the failure if the platform refused."""

    sent: bool
    failure: SendFailed | None = None


async def deliver_one(
    core: Core, platforms: Mapping[str, Platform], job: PostJob, now: datetime
) -> int:
    return int((await attempt(core, platforms, job, now)).sent)


async def attempt(
    core: Core, platforms: Mapping[str, Platform], job: PostJob, now: datetime
) -> Outcome:
    """Lease ``job`` and try it once; a lease held by another worker leaves it alone."""
    leased = await core.db.run(partial(_lease, job=job, now=now, until=now + core.send_lease))
    if leased is None:
        return Outcome(False)
    try:
        outgoing = await core.db.run(partial(prepare, core=core, job=leased, now=now))
        outgoing = replace(outgoing, card=await with_image(outgoing.card))
        posted = await _send(platforms[outgoing.channel.platform], leased, outgoing, now)
    except Exception as error:  # a platform bug or network fault must not stop the other posts
        return await _not_sent(core, platforms, leased, error, now)
    await _record_sent(core, leased, posted, now)
    await _after_adoption(core, platforms, leased, outgoing, posted, now)
    return Outcome(True)


async def _not_sent(
    core: Core, platforms: Mapping[str, Platform], job: PostJob, error: Exception, now: datetime
) -> Outcome:
    """Record why an attempt did not post: later, skipped, or failed (and retried unless not)."""
    if isinstance(error, NotReady):
        await _retry(core, job, str(error), now + timedelta(minutes=1), unsure=False)
        return Outcome(False)
    if isinstance(error, NothingToSend):
        await _finish(core, job, PostStatus.SKIPPED, str(error))
        return Outcome(False)
    if not isinstance(error, SendFailed):
        log.error("post %s raised", job.claim_key, exc_info=error, extra=_context(job))
        error = SendFailed(f"{type(error).__name__}: {error}", unsure=True)
    await _record_failure(core, platforms, job, error, now)
    return Outcome(False, error)


async def _send(platform: Platform, job: PostJob, outgoing: Outgoing, now: datetime) -> Posted:
    """Adopt the post an earlier attempt may have made; otherwise send it."""
    channel_ref, thread_ref, card = outgoing.channel.channel_ref, outgoing.thread_ref, outgoing.card
    if job.outcome_unknown and isinstance(platform, Adopts):
        since = (job.created_at or now) - LOOK_BACK
        try:
            found = await platform.find_posted(channel_ref, thread_ref, card, job.claim_key, since)
        except SendFailed as failure:
            failure.unsure = True  # still unknown: look again next time
            raise
        if found is not None:
            return replace(found, adopted=True)
    return await platform.deliver(channel_ref, thread_ref, card, job.claim_key)


def _lease(uow: UnitOfWork, job: PostJob, now: datetime, until: datetime) -> PostJob | None:
    leased = uow.posts.lease(job.id, now, until)
    uow.commit()
    return leased


def _context(job: PostJob) -> dict[str, object]:
    """Fields for JSON log lines, so one post's story can be followed across restarts."""
    return {"post": job.claim_key, "channel_id": job.channel_id, "round_id": job.round_id}


async def _record_sent(core: Core, job: PostJob, posted: Posted, now: datetime) -> None:
    how = "adopted the earlier post of" if posted.adopted else "posted"
    log.info("%s %s as %s", how, job.claim_key, posted.message_ref, extra=_context(job))

    def work(uow: UnitOfWork) -> None:
        uow.posts.mark_sent(job.id, now, posted.message_ref, posted.thread_ref)
        if job.kind is PostKind.DRILL and job.round_id is not None:
            uow.rounds.set_place(job.round_id, posted.message_ref, posted.thread_ref)
        uow.commit()

    await core.db.run(work)


async def _after_adoption(
    core: Core,
    platforms: Mapping[str, Platform],
    job: PostJob,
    outgoing: Outgoing,
    posted: Posted,
    now: datetime,
) -> None:
    """Members may have answered in an adopted drill's thread before the round knew it."""
    platform = platforms[outgoing.channel.platform]
    if not posted.adopted or job.kind is not PostKind.DRILL or not isinstance(platform, Adopts):
        return
    since = (job.created_at or now) - LOOK_BACK
    await recovery.keep_thread_answers(core, platform, outgoing.channel, posted, since)


async def _record_failure(
    core: Core, platforms: Mapping[str, Platform], job: PostJob, failure: SendFailed, now: datetime
) -> None:
    reason = failure.reason if not failure.admin_hint else f"{failure.reason}. {failure.admin_hint}"
    attempt_number = job.attempts + 1
    log.warning(
        "post %s failed (attempt %d): %s",
        job.claim_key,
        attempt_number,
        reason,
        extra=_context(job),
    )
    if failure.permanent:
        await _finish(core, job, PostStatus.FAILED, reason)
        return
    wait = backoff(attempt_number, failure.retry_after)
    if failure.problem is not None:
        await problems.report(core, platforms, job.channel_id, failure, now)
        wait = max(wait, problem_backoff(attempt_number))
    await _retry(core, job, reason, now + wait, unsure=failure.unsure)


async def _finish(core: Core, job: PostJob, status: PostStatus, reason: str) -> None:
    """End a post that will not be sent: ``failed`` (with the error) or ``skipped``."""

    def work(uow: UnitOfWork) -> None:
        uow.posts.mark_finished(job.id, status, reason)
        uow.commit()

    await core.db.run(work)


async def _retry(core: Core, job: PostJob, reason: str, at: datetime, *, unsure: bool) -> None:
    def work(uow: UnitOfWork) -> None:
        uow.posts.mark_retry(job.id, reason, at, unsure=unsure)
        uow.commit()

    await core.db.run(work)


def backoff(attempt: int, retry_after: float | None) -> timedelta:
    """Exponential from 15 s, capped; never sooner than the platform asked."""
    wait = min(MAX_BACKOFF, timedelta(seconds=15 * 2 ** min(attempt - 1, 10)))
    return max(wait, timedelta(seconds=retry_after or 0))


def problem_backoff(attempt: int) -> timedelta:
    """30 min, doubling per failed attempt of the post, at most 6 h: never given up."""
    wait: timedelta = PROBLEM_BACKOFF * 2 ** min(attempt - 1, 10)
    return min(MAX_PROBLEM_BACKOFF, wait)
