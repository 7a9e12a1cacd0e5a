"""Answers kept after an adoption: replies members wrote in the thread of a drill post the core
adopted (found already posted after a timeout or a crash) count as if the round had known it.

Replies that arrived before the round knew its thread found no round and were dropped; they are
read back from the platform here, each recorded at the time it was written. The platforms that
adopt posts (Slack) offer a ballot under each answer, so new answers get theirs queued.
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot.core.model import Channel, Place
from bot.core.ports import Adopts, Posted, SendFailed, ThreadReply
from bot.core.services import answers, ballots
from bot.core.services.context import Core

log = logging.getLogger(__name__)


async def keep_thread_answers(
    core: Core, platform: Adopts, channel: Channel, posted: Posted, since: datetime
) -> int:
    """Record the thread's replies as answers (each at most once); how many were new."""
    if posted.thread_ref is None:
        return 0
    try:
        replies = await platform.thread_replies(channel.space_ref, posted.thread_ref, since)
    except SendFailed as failure:
        log.warning("could not read the adopted thread %s: %s", posted.thread_ref, failure.reason)
        return 0
    place = Place(channel.platform, channel.space_ref, channel.channel_ref, posted.thread_ref)
    kept = 0
    for reply in replies:
        kept += await _keep(core, place, reply)
    if kept:
        log.info("kept %d answer(s) given in adopted thread %s", kept, posted.thread_ref)
        core.signals.work_queued()
    return kept


async def _keep(core: Core, place: Place, reply: ThreadReply) -> int:
    receipt = await answers.receive_message(
        core, reply.author, place, reply.message_ref, reply.text, reply.at
    )
    if receipt is None:
        return 0  # not an answer, or recorded before (its event did arrive)
    await ballots.queue_ballot(core, receipt, reply.at)
    return 1
