"""What each command does: one small function per command, turning the words a member typed into
a use-case call. The table in ``command_table`` names them.

Most handlers call a use case that runs its own unit of work. An ``InOneUnit`` handler is storage
work alone: the dispatcher runs it in the same unit of work (one transaction, one database hop) as
the channel lookup before it and the member's news after it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.core import values
from bot.core.cards import Reply, refuse
from bot.core.model import Actor, Channel, Place
from bot.core.services import (
    admin,
    analytics,
    attendance,
    blind,
    exports,
    facts,
    ondemand,
    practice,
    profile,
    reviews,
    standings,
    stats_cards,
    votes,
)
from bot.core.services.context import Core
from bot.storage.uow import UnitOfWork


@dataclass(frozen=True)
class Invocation:
    """One command as a member typed it, with what its handler needs to run it."""

    core: Core
    actor: Actor
    place: Place
    args: tuple[str, ...]
    request_key: str
    now: datetime
    found_channel: Channel | None = None

    @property
    def channel(self) -> Channel:
        """The drill channel; the dispatcher only runs ``needs_channel`` commands where one exists."""
        if self.found_channel is None:
            raise LookupError("this command needs a drill channel")
        return self.found_channel


@dataclass(frozen=True)
class InOneUnit:
    """A handler that is storage work alone, run inside the dispatcher's unit of work."""

    work: Callable[[UnitOfWork, Invocation], Reply]


async def drill(call: Invocation) -> Reply:
    kind = call.args[0].lower() if call.args else None
    return await ondemand.request_drill(
        call.core, call.actor, call.channel, kind, call.request_key, call.now
    )


async def answer(call: Invocation) -> Reply:
    text = " ".join(call.args)
    return await blind.answer_privately(
        call.core, call.actor, call.channel, call.place, text, call.request_key, call.now
    )


def _drill_next(uow: UnitOfWork, call: Invocation) -> Reply:
    return practice.read_next(uow, call.core, call.actor, call.channel, call.now)


def _drill_due(uow: UnitOfWork, call: Invocation) -> Reply:
    return practice.read_due(uow, call.core, call.actor, call.channel, call.now)


drill_next, drill_due = InOneUnit(_drill_next), InOneUnit(_drill_due)


async def review(call: Invocation) -> Reply:
    return await reviews.review(
        call.core, call.actor, call.channel, call.place, call.args, call.now
    )


def _show_profile(uow: UnitOfWork, call: Invocation) -> Reply:
    return profile.read_profile(uow, call.core, call.actor, call.channel, call.now)


show_profile = InOneUnit(_show_profile)


async def profile_delete(call: Invocation) -> Reply:
    return await profile.delete_profile(call.core, call.actor, call.args, call.now)


def _streak(uow: UnitOfWork, call: Invocation) -> Reply:
    return standings.read_streak(uow, call.actor, call.channel, call.now)


streak = InOneUnit(_streak)


ALL_TIME = frozenset({"all-time", "all", "alltime"})


async def leaderboard(call: Invocation) -> Reply:
    period = call.args[0].lower() if call.args else "week"
    if period not in ALL_TIME | {"week"}:
        return refuse("Use 'leaderboard' for this week or 'leaderboard all-time'.")
    return await standings.leaderboard(call.core, call.channel, period in ALL_TIME, call.now)


async def vote(call: Invocation) -> Reply:
    try:
        number = values.parse_answer_number(call.args[0])
    except ValueError as error:
        return refuse(str(error))
    return await votes.vote_by_number(
        call.core, call.actor, call.place, number, call.now, call.request_key
    )


async def ask(call: Invocation) -> Reply:
    question = " ".join(call.args)
    return await facts.ask(call.core, call.actor, call.channel, call.place, question, call.now)


async def register(call: Invocation) -> Reply:
    return await admin.register_channel(call.core, call.place, call.now)


async def show(call: Invocation) -> Reply:
    return await admin.show(call.core, call.channel, call.now)


async def pause(call: Invocation) -> Reply:
    return await admin.set_paused(call.core, call.channel, True, call.now)


async def resume(call: Invocation) -> Reply:
    return await admin.set_paused(call.core, call.channel, False, call.now)


async def skip(call: Invocation) -> Reply:
    return await admin.skip(call.core, call.channel, call.now)


async def unskip(call: Invocation) -> Reply:
    return await admin.unskip(call.core, call.channel, call.now)


async def holiday(call: Invocation) -> Reply:
    return await admin.set_holidays(call.core, call.channel, " ".join(call.args), call.now)


async def rest(call: Invocation) -> Reply:
    return await attendance.take_rest(call.core, call.actor, call.channel, call.args[0], call.now)


async def repair(call: Invocation) -> Reply:
    return await attendance.repair_streak(call.core, call.channel, call.args, call.now)


async def streak_card(call: Invocation) -> Reply:
    return await stats_cards.stats_card(call.core, call.actor, call.channel, call.now)


async def streak_export(call: Invocation) -> Reply:
    fmt = call.args[0] if call.args else None
    return await exports.member_archive(call.core, call.actor, call.channel, fmt, call.now)


async def admin_stats(call: Invocation) -> Reply:
    return await analytics.admin_stats(call.core, call.channel, call.now)


async def admin_export(call: Invocation) -> Reply:
    fmt = call.args[0] if call.args else None
    return await exports.channel_archive(call.core, call.channel, fmt, call.now)


async def post_now(call: Invocation) -> Reply:
    return await admin.post_now(call.core, call.channel, call.now)
