"""An on-demand drill shown again to the member who asked for it (a platform's Answer button
opens it in a form); anyone else, or a closed round, gets a refusal."""

from __future__ import annotations

from datetime import datetime

from bot.core.cards import DrillCard, Reply, refuse
from bot.core.model import Actor
from bot.core.services.context import Core, catalogue_for
from bot.storage.uow import UnitOfWork


async def practice_card(core: Core, actor: Actor, round_id: int, now: datetime) -> Reply:
    def work(uow: UnitOfWork) -> Reply:
        round_ = uow.rounds.get(round_id)
        member_id = uow.members.find(actor.platform, actor.space_ref, actor.user_ref)
        if round_ is None or round_.mode != "on_demand" or member_id != round_.requested_by:
            return refuse("That practice drill is not yours; ask for one with 'drill'.")
        if round_.is_closed_at(now):
            return refuse("That practice drill has closed; ask for a new one with 'drill'.")
        channel = uow.channels.get(round_.channel_id)
        drill = catalogue_for(uow, core, round_.channel_id).get(round_.drill_id)
        if channel is None or drill is None:
            return refuse("That practice drill is no longer available; ask for a new one.")
        zone = channel.settings.timezone
        card = DrillCard(round_.id, "on_demand", drill, round_.closes_at, zone, actor.display_name)
        return Reply(card)

    return await core.db.run(work)
