"""Posts an adapter asks for while handling a member's action: the Vote button under a new answer
and a command's public reply. Each is claimed in the outbox and sent at once; if that fails it
stays queued and is retried like a drill (the same backoff, problems told to admins).
"""

from __future__ import annotations

from datetime import datetime

from bot.core import keys
from bot.core.cards import AnswerReceipt, Card, Notice
from bot.core.model import NewPost, Place, PostContent, PostJob
from bot.core.ports import Platform, SendFailed
from bot.core.render import render_text
from bot.core.services import ballots
from bot.core.services.context import Core
from bot.core.services.delivery import attempt
from bot.core.vocab import PostKind, PostStatus
from bot.storage.uow import UnitOfWork

NOT_A_DRILL_CHANNEL = "this channel is not a drill channel"


async def offer_ballot(
    core: Core, platform: Platform, receipt: AnswerReceipt | None, now: datetime
) -> None:
    """A new on-time answer of a daily round gets its Vote button in the round's thread."""
    job = await ballots.queue_ballot(core, receipt, now) if receipt is not None else None
    if job is not None and job.status is PostStatus.PENDING:
        await _send_now(core, platform, job, now)


async def announce(
    core: Core, platform: Platform, place: Place, card: Card, request_key: str, now: datetime
) -> SendFailed | None:
    """A command's public reply, posted in its channel; the failure if it could not go out now
    (it is retried later, unless the failure is permanent)."""
    body = render_text(card) if not isinstance(card, Notice) else card.text
    job = await core.db.run(lambda uow: _queue_notice(uow, place, body, request_key, now))
    if job is None:
        return SendFailed(NOT_A_DRILL_CHANNEL, permanent=True)
    if job.status is not PostStatus.PENDING:
        return None  # a redelivered command whose reply went out before
    return await _send_now(core, platform, job, now)


def _queue_notice(
    uow: UnitOfWork, place: Place, body: str, request_key: str, now: datetime
) -> PostJob | None:
    channel = uow.channels.find(place.platform, place.space_ref, place.channel_ref)
    if channel is None:
        return None
    key = keys.notice_post(channel.id, request_key)
    uow.posts.claim(key, now, NewPost(channel.id, PostKind.NOTICE), PostContent(body=body))
    uow.commit()
    return uow.posts.get(key)


async def _send_now(
    core: Core, platform: Platform, job: PostJob, now: datetime
) -> SendFailed | None:
    outcome = await attempt(core, {platform.name: platform}, job, now)
    if outcome.failure is not None:
        core.signals.work_queued()  # the retry is due later: whoever schedules work should know
    return outcome.failure
