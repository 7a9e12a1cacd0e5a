"""Daily rounds: claimed exactly once per channel and local date, then posted; closed on time."""

from __future__ import annotations

from datetime import date, datetime

from bot.core import rotation as rules
from bot.core.model import Channel, Round
from bot.core.schedule import local_date, next_post_after, plan_due_posts
from bot.core.scoring import score_round
from bot.core.services.context import Core, catalogue_for, rotation
from bot.storage.uow import UnitOfWork


def daily_key(channel_id: int, day: date) -> str:
    return f"daily:{channel_id}:{day.isoformat()}"


async def open_due_rounds(core: Core, channel: Channel, now: datetime) -> int | None:
    """Handle every post instant of the channel up to ``now``; the round opened, if any."""
    async with core.uow() as uow:
        fresh = await uow.channels.get(channel.id)
        if fresh is None or fresh.next_post_at is None or fresh.next_post_at > now:
            return None
        plan = plan_due_posts(fresh.settings, fresh.next_post_at, now, core.grace)
        opened = None
        if not fresh.settings.paused:
            for day in plan.skip:
                await _claim_skipped(uow, fresh, day, now)
            if plan.post is not None:
                opened = await claim_daily_round(uow, core, fresh, plan.post, now)
        await uow.channels.set_next_post(fresh.id, plan.next_post_at)
        await uow.commit()
        return opened


async def claim_daily_round(
    uow: UnitOfWork, core: Core, channel: Channel, day: date, now: datetime
) -> int | None:
    """Claim the channel's round for ``day`` and queue its post; None if it was claimed before."""
    drill_id, kind = await _pick_drill(uow, core, channel, day)
    round_id = await uow.rounds.claim(
        daily_key(channel.id, day),
        channel_id=channel.id,
        mode="daily",
        local_date=day,
        drill_id=drill_id,
        drill_kind=kind,
        status="open",
        opened_at=now,
        closes_at=now + channel.settings.answer_window,
    )
    if round_id is not None:
        await uow.posts.claim(
            f"drill:{round_id}", now, channel_id=channel.id, round_id=round_id, kind="drill"
        )
    return round_id


async def _claim_skipped(uow: UnitOfWork, channel: Channel, day: date, now: datetime) -> None:
    await uow.rounds.claim(
        daily_key(channel.id, day),
        channel_id=channel.id,
        mode="daily",
        local_date=day,
        drill_id="-",
        drill_kind="-",
        status="skipped",
        opened_at=now,
        closes_at=now,
    )


async def _pick_drill(uow: UnitOfWork, core: Core, channel: Channel, day: date) -> tuple[str, str]:
    in_rotation = rotation(await catalogue_for(uow, core, channel.id), channel.settings)
    weights = {kind: len(ids) for kind, ids in in_rotation.items()}
    kind = rules.next_kind(weights, await uow.rounds.kind_counts(channel.id))
    candidates = in_rotation[kind]
    uses = await uow.rounds.drill_uses(channel.id, candidates)
    return rules.choose_drill(candidates, uses, salt=str(channel.id)), kind


async def close_due_rounds(core: Core, now: datetime) -> list[int]:
    """Close every round whose window has ended; settle scores and queue results for daily ones."""
    async with core.uow() as uow:
        due = await uow.rounds.due_to_close(now)
    closed = []
    for round_ in due:
        if await close_round(core, round_, now):
            closed.append(round_.id)
    return closed


async def close_round(core: Core, round_: Round, now: datetime) -> bool:
    async with core.uow() as uow:
        if not await uow.rounds.close(round_.id, now):
            return False
        if round_.mode == "daily":
            tallies = await uow.answers.tallies(round_.id)
            await uow.scores.settle(
                round_.id, round_.channel_id, round_.local_date, score_round(tallies)
            )
            await uow.posts.claim(
                f"results:{round_.id}",
                now,
                channel_id=round_.channel_id,
                round_id=round_.id,
                kind="results",
            )
        await uow.commit()
        return True


async def post_now(core: Core, channel: Channel, now: datetime) -> int | None:
    """Open today's round now (admin); None when today already has one."""
    today = local_date(now, channel.settings.zone)
    async with core.uow() as uow:
        # The claim on today's date also stops today's scheduled post from opening a second round.
        round_id = await claim_daily_round(uow, core, channel, today, now)
        await uow.commit()
        return round_id


async def skip_next(core: Core, channel: Channel, now: datetime) -> date | None:
    """Skip the next scheduled post (admin); the date skipped, or None if nothing is scheduled."""
    if channel.next_post_at is None:
        return None
    day = local_date(channel.next_post_at, channel.settings.zone)
    async with core.uow() as uow:
        await _claim_skipped(uow, channel, day, now)
        await uow.channels.set_next_post(
            channel.id, next_post_after(channel.settings, channel.next_post_at)
        )
        await uow.commit()
    return day
