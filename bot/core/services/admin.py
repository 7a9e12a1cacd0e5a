"""Channel settings, changed only by admins; a bad value changes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime

from bot.core import values
from bot.core.cards import Reply, SettingsCard, refuse, tell
from bot.core.model import Actor, Channel, ChannelSettings, Place
from bot.core.render import settings_text
from bot.core.schedule import local_date, next_weekly_after
from bot.core.services import rounds
from bot.core.services.context import Core, catalogue_for, kinds_in_rotation
from bot.storage.uow import UnitOfWork
from drills import Catalogue, Drill, DrillFileError

# A setting's new value applied to the settings (the catalogue is there for ``kinds``);
# raises ValueError with a message for the admin when the value is bad.
Change = Callable[[ChannelSettings, str, Catalogue], ChannelSettings]
NOT_ADMIN = "Only server admins can change Drillbot's settings (Manage Server on Discord, a workspace admin on Slack)."


def _reschedule(uow: UnitOfWork, channel_id: int, settings: ChannelSettings, now: datetime) -> None:
    next_daily = rounds.next_post(uow, channel_id, settings, now)
    uow.channels.save(channel_id, settings, next_daily, next_weekly_after(settings, now))


async def register_channel(core: Core, place: Place, now: datetime) -> Reply:
    """Make the place's channel a drill channel with default settings."""

    def work(uow: UnitOfWork) -> tuple[bool, Channel]:
        key = (place.platform, place.space_ref, place.channel_ref)
        existing = uow.channels.find(*key)
        if existing is None:
            uow.channels.add(*key, ChannelSettings(), now)
            added = uow.channels.find(*key)
            assert added is not None
            _reschedule(uow, added.id, added.settings, now)
        uow.commit()
        channel = uow.channels.find(*key)
        assert channel is not None
        return existing is not None, channel

    existed, channel = await core.db.run(work)
    core.signals.schedule_changed(channel)
    verb = "is already" if existed else "is now"
    return tell(
        f"This channel {verb} a drill channel.\n" + await _settings_text(core, channel, now),
        private=False,
    )


async def change_setting(
    core: Core, channel: Channel, name: str, change: Change, value: str, now: datetime
) -> Reply:
    """Apply one setting's new ``value``; a bad value is refused and changes nothing."""

    def work(uow: UnitOfWork) -> Reply | None:
        try:
            settings = change(channel.settings, value, catalogue_for(uow, core, channel.id))
        except ValueError as error:
            return refuse(str(error))
        _reschedule(uow, channel.id, settings, now)
        uow.commit()
        return None

    refusal = await core.db.run(work)
    return refusal or await _changed(core, channel, f"Updated {name}.", now)


async def set_paused(core: Core, channel: Channel, paused: bool, now: datetime) -> Reply:
    def work(uow: UnitOfWork) -> None:
        _reschedule(uow, channel.id, replace(channel.settings, paused=paused), now)
        uow.commit()

    await core.db.run(work)
    headline = "Paused: no drills until resumed." if paused else "Resumed."
    return await _changed(core, channel, headline, now)


async def _changed(core: Core, channel: Channel, headline: str, now: datetime) -> Reply:
    fresh = await core.db.run(lambda uow: uow.channels.get(channel.id))
    assert fresh is not None
    core.signals.schedule_changed(fresh)
    return tell(f"{headline}\n" + await _settings_text(core, fresh, now), private=False)


async def settings_card(core: Core, channel: Channel, now: datetime) -> SettingsCard:
    today = local_date(now, channel.settings.zone)

    def work(uow: UnitOfWork) -> tuple[Catalogue, tuple[date, ...]]:
        holidays = tuple(sorted(uow.channels.holidays(channel.id, today)))
        return catalogue_for(uow, core, channel.id), holidays

    catalogue, holidays = await core.db.run(work)
    in_rotation = sum(len(ids) for ids in kinds_in_rotation(catalogue, channel.settings).values())
    return SettingsCard(
        channel.settings, channel.next_post_at, channel.next_weekly_at, in_rotation, holidays
    )


async def _settings_text(core: Core, channel: Channel, now: datetime) -> str:
    return settings_text(await settings_card(core, channel, now))


async def show(core: Core, channel: Channel, now: datetime) -> Reply:
    return Reply(await settings_card(core, channel, now))


async def skip(core: Core, channel: Channel, now: datetime) -> Reply:
    day = await rounds.skip_next(core, channel, now)
    if day is None:
        return refuse("Nothing is scheduled to skip.")
    fresh = await core.db.run(lambda uow: uow.channels.get(channel.id))
    core.signals.schedule_changed(fresh or channel)
    return tell(f"The drill for {day:%a %d %b} will be skipped.", private=False)


async def unskip(core: Core, channel: Channel, now: datetime) -> Reply:
    day = await rounds.unskip(core, channel, now)
    if day is None:
        return refuse("No skipped drill ahead to restore.")
    return await _changed(core, channel, f"The drill for {day:%a %d %b} is back on.", now)


async def set_holidays(core: Core, channel: Channel, text: str, now: datetime) -> Reply:
    """``admin holiday 2026-12-24..2026-12-26`` adds holidays; ``clear`` before the range removes."""
    clear = text.strip().lower().startswith("clear")
    try:
        days = values.parse_date_range(text.strip()[5:] if clear else text)
    except ValueError as error:
        return refuse(str(error))
    if days[-1] < local_date(now, channel.settings.zone):
        return refuse("Those dates are in the past.")

    def work(uow: UnitOfWork) -> None:
        change = uow.channels.remove_holidays if clear else uow.channels.add_holidays
        change(channel.id, days)
        uow.channels.set_next_post(
            channel.id, rounds.next_post(uow, channel.id, channel.settings, now)
        )
        uow.commit()

    await core.db.run(work)
    span = f"{days[0]:%a %d %b}" + (f"–{days[-1]:%a %d %b}" if len(days) > 1 else "")
    headline = f"{'No longer holidays' if clear else 'Holidays'}: {span}."
    return await _changed(core, channel, headline, now)


async def post_now(core: Core, channel: Channel, now: datetime) -> Reply:
    round_id = await rounds.post_now(core, channel, now)
    if round_id is None:
        return refuse("Today's drill is already out; it is not posted twice.")
    core.signals.work_queued()
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

    def work(uow: UnitOfWork) -> None:
        for drill in drills:
            body = json.dumps(drill.model_dump(mode="json"))
            uow.channels.save_custom_drill(channel.id, drill.id, body, now)
        uow.commit()

    await core.db.run(work)
    return len(drills)


def require_admin(actor: Actor) -> Reply | None:
    return None if actor.is_admin else refuse(NOT_ADMIN)
