"""Daily rounds: claimed exactly once per channel and local date, then posted; closed on time."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from bot.core import keys
from bot.core import rotation as rules
from bot.core.coach import review_points_earned, reviewer_points_earned
from bot.core.model import AnswerTally, Channel, ChannelSettings, NewPost, NewRound, Round
from bot.core.schedule import local_date, next_post_after, plan_due_posts, post_instant
from bot.core.scoring import ANSWER_POINTS, RoundScore, score_round
from bot.core.services import coaching
from bot.core.services.context import Core, catalogue_for, kinds_in_rotation
from bot.core.vocab import PostKind, RoundMode, RoundStatus
from bot.core.wording import plural
from bot.storage.uow import UnitOfWork


def taken_dates(uow: UnitOfWork, channel_id: int, zone: ZoneInfo, after: datetime) -> set[date]:
    """Local dates that will not post: claimed already (posted or skipped) and holidays."""
    first = local_date(after, zone) - timedelta(days=1)
    return uow.rounds.daily_dates(channel_id, first) | uow.channels.holidays(channel_id, first)


def next_post(
    uow: UnitOfWork, channel_id: int, settings: ChannelSettings, after: datetime
) -> datetime:
    """The channel's next daily post: the one instant every "next drill" shown is computed by."""
    taken = taken_dates(uow, channel_id, settings.zone, after)
    return next_post_after(settings, after, taken)


async def open_due_rounds(core: Core, channel: Channel, now: datetime) -> int | None:
    """Handle every post instant of the channel up to ``now``; the round opened, if any."""

    def work(uow: UnitOfWork) -> int | None:
        fresh = uow.channels.get(channel.id)
        if fresh is None or fresh.next_post_at is None or fresh.next_post_at > now:
            return None
        taken = taken_dates(uow, fresh.id, fresh.settings.zone, fresh.next_post_at)
        plan = plan_due_posts(fresh.settings, fresh.next_post_at, now, core.grace, taken)
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
    settings = channel.settings
    answers_close = now + settings.answer_window if settings.blind else None
    closes_at = (answers_close + settings.review_window) if answers_close else None
    new = NewRound(
        channel.id,
        RoundMode.DAILY,
        day,
        drill_id,
        kind,
        RoundStatus.OPEN,
        now,
        closes_at or now + settings.answer_window,
        answers_close_at=answers_close,
    )
    round_id = uow.rounds.claim(keys.daily_round(channel.id, day), new)
    if round_id is not None:
        post = NewPost(channel.id, PostKind.DRILL, round_id=round_id)
        uow.posts.claim(keys.drill_post(round_id), now, post)
    return round_id


def next_daily_drill(uow: UnitOfWork, core: Core, channel: Channel) -> str:
    """The drill the channel's next daily round would get if it were claimed now."""
    return _pick_drill(uow, core, channel)[0]


def claim_skipped(uow: UnitOfWork, channel: Channel, day: date, now: datetime) -> None:
    new = NewRound(channel.id, RoundMode.DAILY, day, "-", "-", RoundStatus.SKIPPED, now, now)
    uow.rounds.claim(keys.daily_round(channel.id, day), new)


def _pick_drill(uow: UnitOfWork, core: Core, channel: Channel) -> tuple[str, str]:
    """The next daily drill: the kind furthest behind, then the least used drill of that kind,
    leaving out drills members already did on demand here while any others remain (their
    rubric was shown to those members)."""
    in_rotation = kinds_in_rotation(catalogue_for(uow, core, channel.id), channel.settings)
    weights = {kind: len(ids) for kind, ids in in_rotation.items()}
    kind = rules.next_kind(weights, uow.rounds.kind_counts(channel.id))
    practised = uow.rounds.on_demand_drills(channel.id)
    candidates = [d for d in in_rotation[kind] if d not in practised] or in_rotation[kind]
    uses = uow.rounds.drill_uses(channel.id, candidates)
    return rules.choose_drill(candidates, uses, salt=str(channel.id)), kind


async def close_due_rounds(core: Core, now: datetime) -> list[int]:
    """Close every round whose window has ended; settle scores and queue results for daily ones."""
    closed = []
    while due := await core.db.run(lambda uow: uow.rounds.due_to_close(now)):
        for round_ in due:
            if await core.db.run(partial(close_round, core=core, round_=round_, now=now)):
                closed.append(round_.id)
    return closed


def close_round(uow: UnitOfWork, core: Core, round_: Round, now: datetime) -> bool:
    if not uow.rounds.close(round_.id, now):
        return False
    if round_.mode is RoundMode.DAILY:
        channel = uow.channels.get(round_.channel_id)
        shortest = channel.settings.min_answer_chars if channel else 0
        tallies = uow.answers.tallies(round_.id)
        counted = [t for t in tallies if len(t.text.strip()) >= shortest]
        reviews = coaching.count_reviews(uow, round_.id, counted)
        scores = score_round(counted, reviews.received, reviews.given)
        uow.scores.settle(round_.id, round_.channel_id, round_.local_date, scores)
        _tell_earnings(uow, round_, scores, [t for t in tallies if t not in counted], shortest, now)
        coaching.tell_authors(uow, core, round_, counted, now)
        post = NewPost(round_.channel_id, PostKind.RESULTS, round_id=round_.id)
        uow.posts.claim(keys.results_post(round_.id), now, post)
    uow.commit()
    return True


def _tell_earnings(
    uow: UnitOfWork,
    round_: Round,
    scores: list[RoundScore],
    too_short: list[AnswerTally],
    shortest: int,
    now: datetime,
) -> None:
    """Each answerer learns privately, on their next action, what the round earned them."""
    drill = f"The {round_.local_date:%a %d %b} drill's results are in"
    for score in scores:
        parts = [f"{score.answers * ANSWER_POINTS} for answering", f"{score.votes} from votes"]
        parts = parts if score.answers else []
        parts += [f"{score.bonus} for the top answer"] if score.bonus else []
        parts += [f"{review_points_earned(score.reviews)} from reviews"] if score.reviews else []
        paid = reviewer_points_earned(score.reviewing)
        parts += [f"{paid} for reviewing"] if score.reviewing else []
        text = f"{drill}: you earned {plural(score.points, 'point')} ({', '.join(parts)})."
        uow.streaks.notify(round_.channel_id, score.member_id, text, now)
    for tally in too_short:
        text = f"{drill}: your answer was under {shortest} characters, so it earned no points."
        uow.streaks.notify(round_.channel_id, tally.member_id, text, now)


async def post_now(core: Core, channel: Channel, now: datetime) -> int | None:
    """Open today's round now (admin), even on a skipped date; None when today is already out."""
    today = local_date(now, channel.settings.zone)

    def work(uow: UnitOfWork) -> int | None:
        uow.rounds.unskip(channel.id, today)  # posting a skipped day is the admin's call
        # The claim on today's date also stops today's scheduled post from opening a second round.
        round_id = claim_daily_round(uow, core, channel, today, now)
        uow.channels.set_next_post(channel.id, next_post(uow, channel.id, channel.settings, now))
        uow.commit()
        return round_id

    return await core.db.run(work)


async def skip_next(core: Core, channel: Channel, now: datetime) -> date | None:
    """Skip the next post that has not happened yet (admin); the date skipped, or None."""

    def work(uow: UnitOfWork) -> date | None:
        if channel.settings.paused:
            return None
        day = local_date(next_post(uow, channel.id, channel.settings, now), channel.settings.zone)
        claim_skipped(uow, channel, day, now)
        uow.channels.set_next_post(channel.id, next_post(uow, channel.id, channel.settings, now))
        uow.commit()
        return day

    return await core.db.run(work)


async def unskip(core: Core, channel: Channel, now: datetime) -> date | None:
    """Undo the nearest skip whose post time is still ahead (admin); the date restored, or None."""
    zone = channel.settings.zone

    def work(uow: UnitOfWork) -> date | None:
        skipped = sorted(uow.rounds.skipped_from(channel.id, local_date(now, zone)))
        ahead = [d for d in skipped if post_instant(d, channel.settings.post_time, zone) > now]
        if not ahead or not uow.rounds.unskip(channel.id, ahead[0]):
            return None
        uow.channels.set_next_post(channel.id, next_post(uow, channel.id, channel.settings, now))
        uow.commit()
        return ahead[0]

    return await core.db.run(work)
