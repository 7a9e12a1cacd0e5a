"""What every use case needs, built once in ``bootstrap``."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from bot.core.model import Channel, ChannelSettings
from bot.storage.uow import Database, UnitOfWork
from drills import Catalogue, Drill


@dataclass(frozen=True)
class Core:
    db: Database
    bank: Catalogue
    grace: timedelta = timedelta(hours=2)
    send_lease: timedelta = timedelta(minutes=2)
    # Called after a channel's settings change, so a scheduler can move its cron jobs.
    channel_listeners: list[Callable[[Channel], None]] = field(default_factory=list)

    def channel_changed(self, channel: Channel) -> None:
        for listener in self.channel_listeners:
            listener(channel)


def catalogue_for(uow: UnitOfWork, core: Core, channel_id: int) -> Catalogue:
    """The bank plus the channel's own imported drills."""
    bodies = uow.channels.custom_drills(channel_id)
    if not bodies:
        return core.bank
    custom = [Drill.model_validate(json.loads(body)) for body in bodies]
    return Catalogue({**core.bank.drills, **{drill.id: drill for drill in custom}})


def rotation(catalogue: Catalogue, settings: ChannelSettings) -> dict[str, list[str]]:
    """Drill ids per kind in the channel's rotation, in the order the kinds were chosen."""
    grouped = catalogue.by_kind()
    kinds = settings.kinds or tuple(sorted(grouped))
    return {kind: grouped[kind] for kind in kinds if grouped.get(kind)}
