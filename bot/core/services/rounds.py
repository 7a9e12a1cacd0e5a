"""Daily rounds: claimed exactly once per channel and local date, then posted; closed on time."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial

from bot.core import keys
from bot.core import rotation as rules
from bot.core.model import Channel, NewPost, NewRound, Round
from bot.core.schedule import local_date, next_post_after, plan_due_posts
from bot.core.scoring import score_round
from bot.core.services.context import Core, catalogue_for, kinds_in_rotation
from bot.core.vocab import PostKind, RoundMode, RoundStatus
from bot.storage.uow import UnitOfWork


async def open_due_rounds(core: Core, channel: Channel, now: datetime) -> int | None:
    """Handle every post instant of the channel up to ``now``; the round opened, if any."""

    def work(uow: UnitOfWork) -> int | None:
        fresh = uow.channels.get(channel.id)
        if fresh is None or fresh.next_post_at is None or fresh.next_post_at > now:
            return None
        plan = plan_due_posts(fresh.settings, fresh.next_post_at, now, core.grace)
        opened = None
        if not fresh.settings.paused:
            for day in plan.skip:
                claim_skipped(uow, fresh, day, now)
            if plan.post is not None:
                opened = claim_daily_round(uow, core, fresh, plan.post, now)
        uow.channels.set_next_post(fresh.id, plan.next_post_at)
        uow.commit()
        return opened

    return await core.db.run(work)


def claim_daily_round(
    uow: UnitOfWork, core: Core, channel: Channel, day: date, now: datetime
) -> int | None:
    """Claim the channel's round for ``day`` and queue its post; None if it was claimed before."""
    drill_id, kind = _pick_drill(uow, core, channel)
    closes_at = now + channel.settings.answer_window
    new = NewRound(
        channel.id, RoundMode.DAILY, day, drill_id, kind, RoundStatus.OPEN, now, closes_at
    )
    round_id = uow.rounds.claim(keys.daily_round(channel.id, day), new)
    if round_id is not None:
        post = NewPost(channel.id, PostKind.DRILL, round_id=round_id)
        uow.posts.claim(keys.drill_post(round_id), now, post)
    return round_id


def claim_skipped(uow: UnitOfWork, channel: Channel, day: date, now: datetime) -> None:
    new = NewRound(channel.id, RoundMode.DAILY, day, "-", "-", RoundStatus.SKIPPED, now, now)
    uow.rounds.claim(keys.daily_round(channel.id, day), new)


def _pick_drill(uow: UnitOfWork, core: Core, channel: Channel) -> tuple[str, str]:
    in_rotation = kinds_in_rotation(catalogue_for(uow, core, channel.id), channel.settings)
    weights = {kind: len(ids) for kind, ids in in_rotation.items()}
    kind = rules.next_kind(weights, uow.rounds.kind_counts(channel.id))
    candidates = in_rotation[kind]
    uses = uow.rounds.drill_uses(channel.id, candidates)
    return rules.choose_drill(candidates, uses, salt=str(channel.id)), kind


async def close_due_rounds(core: Core, now: datetime) -> list[int]:
    """Close every round whose window has ended; settle scores and queue results for daily ones."""
    closed = []
    while due := await core.db.run(lambda uow: uow.rounds.due_to_close(now)):
        for round_ in due:
            if await core.db.run(partial(close_round, round_=round_, now=now)):
                closed.append(round_.id)
    return closed


def close_round(uow: UnitOfWork, round_: Round, now: datetime) -> bool:
    if not uow.rounds.close(round_.id, now):
        return False
    if round_.mode is RoundMode.DAILY:
        tallies = uow.answers.tallies(round_.id)
        uow.scores.settle(round_.id, round_.channel_id, round_.local_date, score_round(tallies))
        post = NewPost(round_.channel_id, PostKind.RESULTS, round_id=round_.id)
        uow.posts.claim(keys.results_post(round_.id), now, post)
    uow.commit()
    return True


async def post_now(core: Core, channel: Channel, now: datetime) -> int | None:
    """Open today's round now (admin); None when today already has one."""
    today = local_date(now, channel.settings.zone)

    def work(uow: UnitOfWork) -> int | None:
        # The claim on today's date also stops today's scheduled post from opening a second round.
        round_id = claim_daily_round(uow, core, channel, today, now)
        uow.commit()
        return round_id

    return await core.db.run(work)


async def skip_next(core: Core, channel: Channel, now: datetime) -> date | None:
    """Skip the next post that has not happened yet (admin); the date skipped, or None."""
    if channel.next_post_at is None:
        return None
    first_at = channel.next_post_at

    def work(uow: UnitOfWork) -> date:
        at = first_at
        # A date already claimed (say by post-now) is not the next post; look past it.
        while uow.rounds.daily_on(channel.id, day := local_date(at, channel.settings.zone)):
            at = next_post_after(channel.settings, at)
        claim_skipped(uow, channel, day, now)
        uow.channels.set_next_post(channel.id, next_post_after(channel.settings, at))
        uow.commit()
        return day

    return await core.db.run(work)
