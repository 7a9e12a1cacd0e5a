"""A member's own summary in a workspace (Slack's App Home): streak, freezes, points this week,
recent answers, the channel an on-demand drill from there goes to, and the problems that keep
Drillbot from posting in the workspace's drill channels (with their fix, for admins to see).

That channel is the drill channel of the member's most recent answer in the workspace (their
streak lives there), else the first channel registered in the workspace, else none.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from bot.core.model import Actor, Channel, MemberAnswer, Problem
from bot.core.schedule import current_week
from bot.core.scoring import ANSWER_POINTS, VOTE_POINTS
from bot.core.services import attendance
from bot.core.services.context import Core, catalogue_for
from bot.core.vocab import RoundMode
from bot.storage.uow import UnitOfWork
from drills import Catalogue

RECENT_ANSWERS = 5


@dataclass(frozen=True)
class RecentAnswer:
    title: str
    mode: RoundMode
    day: date
    votes: int
    late: bool


@dataclass(frozen=True)
class HomeSummary:
    display_name: str
    channel_ref: str | None
    current: int = 0
    longest: int = 0
    freezes: int = 0
    points_this_week: int = 0
    recent: tuple[RecentAnswer, ...] = ()
    problems: tuple[Problem, ...] = ()


async def home_summary(core: Core, actor: Actor, now: datetime) -> HomeSummary:
    """Read-only: a member who never answered gets an empty summary and creates no rows."""

    def work(uow: UnitOfWork) -> HomeSummary:
        channels = uow.channels.in_space(actor.platform, actor.space_ref)
        member_id = uow.members.find(actor.platform, actor.space_ref, actor.user_ref)
        history = uow.answers.recent_of_member(member_id, RECENT_ANSWERS) if member_id else []
        channel = home_channel(channels, history)
        problems = tuple(uow.problems.live_in_space(actor.platform, actor.space_ref))
        if channel is None or member_id is None:
            ref = channel.channel_ref if channel else None
            return HomeSummary(actor.display_name, ref, problems=problems)
        summary = _summary(uow, core, actor, channel, member_id, history, now)
        return replace(summary, problems=problems)

    return await core.db.run(work)


def home_channel(channels: list[Channel], history: list[MemberAnswer]) -> Channel | None:
    by_id = {channel.id: channel for channel in channels}
    recent = next((by_id[a.channel_id] for a in history if a.channel_id in by_id), None)
    return recent or (channels[0] if channels else None)


def _summary(
    uow: UnitOfWork,
    core: Core,
    actor: Actor,
    channel: Channel,
    member_id: int,
    history: list[MemberAnswer],
    now: datetime,
) -> HomeSummary:
    state, current, freezes = attendance.standing(uow, channel, member_id, now)
    week = current_week(now, channel.settings.zone)
    points = uow.scores.member_points(channel.id, member_id, week, ANSWER_POINTS, VOTE_POINTS)
    recent = _recent(uow, core, history)
    return HomeSummary(
        actor.display_name, channel.channel_ref, current, state.longest, freezes, points, recent
    )


def _recent(uow: UnitOfWork, core: Core, history: list[MemberAnswer]) -> tuple[RecentAnswer, ...]:
    catalogues: dict[int, Catalogue] = {}
    out = []
    for answer in history:
        if answer.channel_id not in catalogues:
            catalogues[answer.channel_id] = catalogue_for(uow, core, answer.channel_id)
        drill = catalogues[answer.channel_id].get(answer.drill_id)
        title = drill.title if drill else answer.drill_id
        out.append(RecentAnswer(title, answer.mode, answer.local_date, answer.votes, answer.late))
    return tuple(out)
