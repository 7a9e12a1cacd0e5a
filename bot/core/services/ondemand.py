"""On-demand drills: one member asks, gets a drill they have not had lately, answers it alone."""

from __future__ import annotations

from datetime import datetime

from bot.core import keys
from bot.core import rotation as rules
from bot.core.cards import DrillCard, Reply, refuse
from bot.core.model import Actor, Channel, NewRound, Round
from bot.core.schedule import local_date
from bot.core.services import practice, rounds
from bot.core.services.context import Core, catalogue_for, kinds_in_rotation
from bot.core.services.profile import read_history
from bot.core.vocab import RoundMode, RoundStatus
from bot.storage.uow import UnitOfWork
from drills import Catalogue

ALL_IN_PLAY = (
    "Every drill of that kind is open or next as a daily drill in this space, so its rubric must "
    "stay hidden for now; try another kind."
)


async def request_drill(
    core: Core, actor: Actor, channel: Channel, kind: str | None, request_key: str, now: datetime
) -> Reply:
    """Claim an on-demand round for ``actor``; a repeated ``request_key`` returns the same drill."""

    def work(uow: UnitOfWork) -> Reply:
        catalogue = catalogue_for(uow, core, channel.id)
        candidates = _candidates(catalogue, channel, kind)
        if not candidates:
            return refuse(
                f"There is no drill kind '{kind}'. Kinds: {', '.join(catalogue.kinds())}."
            )
        member_id = uow.members.ensure(actor)
        key = keys.on_demand_round(channel.id, request_key)
        groups = (
            [candidates]
            if kind
            else [*_practice_first(uow, core, channel, member_id, now), candidates]
        )
        round_ = _claim(uow, core, catalogue, channel, member_id, groups, key, now)
        if round_ is None:
            return refuse(ALL_IN_PLAY)
        uow.commit()
        drill = catalogue.drills[round_.drill_id]
        zone = channel.settings.timezone
        return Reply(
            DrillCard(
                round_.id, RoundMode.ON_DEMAND, drill, round_.closes_at, zone, actor.display_name
            )
        )

    reply = await core.db.run(work)
    if reply.ok:
        core.signals.work_queued()
    return reply


def _candidates(catalogue: Catalogue, channel: Channel, kind: str | None) -> list[str]:
    if kind is not None:
        return catalogue.by_kind().get(kind, [])
    return [
        drill_id
        for ids in kinds_in_rotation(catalogue, channel.settings).values()
        for drill_id in ids
    ]


def _practice_first(
    uow: UnitOfWork, core: Core, channel: Channel, member_id: int, now: datetime
) -> list[list[str]]:
    """With no kind asked for: the member's schedule's pick, its weakest tag's drills first."""
    history = read_history(uow, core, channel, member_id, now)
    found = practice.pick(uow, core, channel, history)
    return [found.candidates] if found else []


def _claim(
    uow: UnitOfWork,
    core: Core,
    catalogue: Catalogue,
    channel: Channel,
    member_id: int,
    groups: list[list[str]],
    key: str,
    now: datetime,
) -> Round | None:
    """The round under ``key``: the one claimed before, or a new one with a drill from the first
    group of candidates that has one allowed."""
    existing = uow.rounds.by_key(key)
    if existing is not None:
        return existing
    picks = (_secret_safe_pick(uow, core, channel, member_id, group) for group in groups)
    drill_id = next((found for found in picks if found is not None), None)
    if drill_id is None:
        return None
    new = NewRound(
        channel.id,
        RoundMode.ON_DEMAND,
        local_date(now, channel.settings.zone),
        drill_id,
        catalogue.drills[drill_id].kind,
        RoundStatus.OPEN,
        now,
        now + channel.settings.answer_window,
        requested_by=member_id,
    )
    uow.rounds.claim(key, new)
    found = uow.rounds.by_key(key)
    if found is None:
        raise RuntimeError(f"on-demand round {key} vanished while being claimed")
    return found


def _secret_safe_pick(
    uow: UnitOfWork, core: Core, channel: Channel, member_id: int, candidates: list[str]
) -> str | None:
    """A drill whose rubric cannot leak into a daily round: never one open or next as a daily
    drill in any channel of the space; drills the channel's daily rounds revealed come first."""
    blocked: set[str] = set()
    for here in uow.channels.in_space(channel.platform, channel.space_ref):
        blocked |= uow.rounds.open_daily_drills(here.id)
        blocked.add(rounds.next_daily_drill(uow, core, here))
    allowed = [drill_id for drill_id in candidates if drill_id not in blocked]
    if not allowed:
        return None
    seen = uow.rounds.seen_by(channel.id, member_id)
    revealed = uow.rounds.revealed_drills(channel.id)
    preferred = [d for d in allowed if d in revealed and d not in seen] or allowed
    return rules.choose_for_member(preferred, seen, salt=f"{channel.id}:{member_id}")


async def attach_place(core: Core, round_id: int, message_ref: str, thread_ref: str | None) -> None:
    """Remember where the platform showed an on-demand drill, so replies there count as answers."""

    def work(uow: UnitOfWork) -> None:
        uow.rounds.set_place(round_id, message_ref, thread_ref)
        uow.commit()

    await core.db.run(work)


async def show_on_demand(core: Core, actor: Actor, round_id: int, now: datetime) -> Reply:
    def work(uow: UnitOfWork) -> Reply:
        round_ = uow.rounds.get(round_id)
        member_id = uow.members.find(actor.platform, actor.space_ref, actor.user_ref)
        if (
            round_ is None
            or round_.mode is not RoundMode.ON_DEMAND
            or member_id != round_.requested_by
        ):
            return refuse("That on-demand drill is not yours; ask for one with 'drill'.")
        if round_.is_closed_at(now):
            return refuse("That on-demand drill has closed; ask for a new one with 'drill'.")
        channel = uow.channels.get(round_.channel_id)
        drill = catalogue_for(uow, core, round_.channel_id).get(round_.drill_id)
        if channel is None or drill is None:
            return refuse("That on-demand drill is no longer available; ask for a new one.")
        zone = channel.settings.timezone
        card = DrillCard(
            round_.id, RoundMode.ON_DEMAND, drill, round_.closes_at, zone, actor.display_name
        )
        return Reply(card)

    return await core.db.run(work)
