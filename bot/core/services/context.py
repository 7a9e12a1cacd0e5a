"""What every use case needs, built once in ``bootstrap``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta

from bot.core.model import ChannelSettings
from bot.core.signals import Signals
from bot.storage.uow import Database, UnitOfWork
from drills import Catalogue, Drill


@dataclass(frozen=True)
class Core:
    db: Database
    bank: Catalogue
    grace: timedelta = timedelta(hours=2)
    send_lease: timedelta = timedelta(minutes=2)
    signals: Signals = field(default_factory=Signals)


def catalogue_for(uow: UnitOfWork, core: Core, channel_id: int) -> Catalogue:
    """The bank plus the channel's own imported drills."""
    bodies = uow.channels.custom_drills(channel_id)
    if not bodies:
        return core.bank
    custom = [Drill.model_validate(json.loads(body)) for body in bodies]
    return Catalogue({**core.bank.drills, **{drill.id: drill for drill in custom}})


def kinds_in_rotation(catalogue: Catalogue, settings: ChannelSettings) -> dict[str, list[str]]:
    """Drill ids per kind in the channel's rotation, in the order the kinds were chosen."""
    grouped = catalogue.by_kind()
    kinds = settings.kinds or tuple(sorted(grouped))
    return {kind: grouped[kind] for kind in kinds if grouped.get(kind)}
