"""Channel settings, changed only by admins; a bad value changes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from bot.core import values
from bot.core.cards import Reply, SettingsCard, refuse, tell
from bot.core.model import Actor, Channel, ChannelSettings, Place
from bot.core.render import settings_text
from bot.core.schedule import next_post_after, next_weekly_after
from bot.core.services import rounds
from bot.core.services.context import Core, catalogue_for, rotation
from bot.storage.uow import UnitOfWork
from drills import Catalogue, Drill, DrillFileError

Change = Callable[[ChannelSettings, str, Catalogue], ChannelSettings]

CHANGES: dict[str, Change] = {
    "time": lambda s, v, _: replace(s, post_time=values.parse_time(v)),
    "timezone": lambda s, v, _: replace(s, timezone=values.parse_timezone(v)),
    "days": lambda s, v, _: replace(s, days=values.parse_days(v)),
    "kinds": lambda s, v, c: replace(s, kinds=values.parse_kinds(v, c.kinds())),
    "window": lambda s, v, _: replace(s, answer_window=values.parse_window(v)),
    "weekly-day": lambda s, v, _: replace(s, weekly_day=values.parse_day(v)),
    "weekly-time": lambda s, v, _: replace(s, weekly_time=values.parse_time(v)),
}


async def register_channel(core: Core, place: Place, now: datetime) -> Reply:
    """Make the place's channel a drill channel with default settings."""
    async with core.uow() as uow:
        existing = await uow.channels.find(place.platform, place.space_ref, place.channel_ref)
        if existing is None:
            await uow.channels.add(
                place.platform, place.space_ref, place.channel_ref, ChannelSettings(), now
            )
            added = await uow.channels.find(place.platform, place.space_ref, place.channel_ref)
            assert added is not None
            await _reschedule(uow, added, added.settings, now)
        await uow.commit()
    channel = await _reload(core, place)
    core.channel_changed(channel)
    verb = "is already" if existing else "is now"
    return tell(
        f"This channel {verb} a drill channel.\n" + await _settings_text(core, channel),
        private=False,
    )


async def change_setting(
    core: Core, channel: Channel, name: str, value: str, now: datetime
) -> Reply:
    change = CHANGES.get(name)
    if change is None:
        return refuse(f"Unknown setting '{name}'. Settings: {', '.join(CHANGES)}.")
    async with core.uow() as uow:
        try:
            settings = change(channel.settings, value, await catalogue_for(uow, core, channel.id))
        except ValueError as error:
            return refuse(str(error))
        await _reschedule(uow, channel, settings, now)
        await uow.commit()
    return await _changed(core, channel, f"Updated {name}.")


async def set_paused(core: Core, channel: Channel, paused: bool, now: datetime) -> Reply:
    async with core.uow() as uow:
        await _reschedule(uow, channel, replace(channel.settings, paused=paused), now)
        await uow.commit()
    return await _changed(
        core, channel, "Paused: no drills until resumed." if paused else "Resumed."
    )


async def _reschedule(
    uow: UnitOfWork, channel: Channel, settings: ChannelSettings, now: datetime
) -> None:
    await uow.channels.save(
        channel.id, settings, next_post_after(settings, now), next_weekly_after(settings, now)
    )


async def _changed(core: Core, channel: Channel, headline: str) -> Reply:
    async with core.uow() as uow:
        fresh = await uow.channels.get(channel.id)
    assert fresh is not None
    core.channel_changed(fresh)
    return tell(f"{headline}\n" + await _settings_text(core, fresh), private=False)


async def _reload(core: Core, place: Place) -> Channel:
    async with core.uow() as uow:
        channel = await uow.channels.find(place.platform, place.space_ref, place.channel_ref)
    assert channel is not None
    return channel


async def settings_card(core: Core, channel: Channel) -> SettingsCard:
    async with core.uow() as uow:
        catalogue = await catalogue_for(uow, core, channel.id)
    in_rotation = sum(len(ids) for ids in rotation(catalogue, channel.settings).values())
    return SettingsCard(channel.settings, channel.next_post_at, channel.next_weekly_at, in_rotation)


async def _settings_text(core: Core, channel: Channel) -> str:
    return settings_text(await settings_card(core, channel))


async def show(core: Core, channel: Channel) -> Reply:
    return Reply(await settings_card(core, channel))


async def skip(core: Core, channel: Channel, now: datetime) -> Reply:
    day = await rounds.skip_next(core, channel, now)
    if day is None:
        return refuse("Nothing is scheduled to skip.")
    return tell(f"The drill for {day:%a %d %b} will be skipped.", private=False)


async def post_now(core: Core, channel: Channel, now: datetime) -> Reply:
    round_id = await rounds.post_now(core, channel, now)
    if round_id is None:
        return refuse("Today's drill is already out; it is not posted twice.")
    return tell("Posting today's drill now.")


async def import_drills(
    core: Core, channel: Channel, drills: Sequence[Drill], now: datetime
) -> int:
    """Add drills to one channel's rotation; ids must not clash with the bank."""
    clashes = [drill.id for drill in drills if drill.id in core.bank.drills]
    if clashes:
        raise DrillFileError(
            [f"drill {d}: field 'id': already used by the shipped bank" for d in clashes]
        )
    async with core.uow() as uow:
        for drill in drills:
            await uow.channels.save_custom_drill(
                channel.id, drill.id, json.dumps(drill.model_dump(mode="json")), now
            )
        await uow.commit()
    return len(drills)


def require_admin(actor: Actor) -> Reply | None:
    if actor.is_admin:
        return None
    return refuse(
        "Only server admins can change Drillbot's settings (Manage Server on Discord, a workspace admin on Slack)."
    )
