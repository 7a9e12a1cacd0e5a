"""Faults only an admin can fix (a removed bot, a missing scope, an archived channel): recorded per
channel and kind, and told to the channel's admins once per problem, where they will see it.

A problem is cleared by the next post in its channel that goes out; if it comes back, it is a new
problem and the admins are told again. The platform only delivers the words (``AlertsAdmins``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime

from bot.core.model import Actor, Channel, Problem
from bot.core.ports import AdminAlert, AlertsAdmins, Platform, SendFailed
from bot.core.services.context import Core
from bot.storage.uow import UnitOfWork

log = logging.getLogger(__name__)


async def report(
    core: Core,
    platforms: Mapping[str, Platform],
    channel_id: int,
    failure: SendFailed,
    now: datetime,
) -> Problem:
    """One more failed post with ``failure.problem``; its admins hear of it once."""
    kind, fix = failure.problem or failure.reason, failure.admin_hint or failure.reason

    def work(uow: UnitOfWork) -> tuple[Problem, Channel | None]:
        problem = uow.problems.report(channel_id, kind, fix, now)
        uow.commit()
        return problem, uow.channels.get(channel_id)

    problem, channel = await core.db.run(work)
    if problem.notified_at is None and channel is not None:
        await _tell_admins(core, platforms.get(channel.platform), channel, problem, now)
    return problem


async def _tell_admins(
    core: Core, platform: Platform | None, channel: Channel, problem: Problem, now: datetime
) -> None:
    if not isinstance(platform, AlertsAdmins):
        return  # told at the next failure once the platform can (nothing is marked)
    try:
        await platform.alert_admins(
            channel.space_ref, AdminAlert(channel.channel_ref, problem.kind, problem.detail)
        )
    except SendFailed as failure:
        log.warning(
            "could not tell the admins of channel %s about %s: %s",
            channel.channel_ref,
            problem.kind,
            failure.reason,
        )
        return

    def work(uow: UnitOfWork) -> None:
        uow.problems.mark_notified(channel.id, problem.kind, now)
        uow.commit()

    await core.db.run(work)
    log.info("told the admins of channel %s about %s", channel.channel_ref, problem.kind)


async def live_in_space(core: Core, actor: Actor) -> list[Problem]:
    """The problems of the drill channels in ``actor``'s workspace (for its home page)."""
    return await core.db.run(
        lambda uow: uow.problems.live_in_space(actor.platform, actor.space_ref)
    )
