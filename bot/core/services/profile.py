"""The private skill profile, what to practise next, and forgetting a member's reviews."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.core import profile as figures
from bot.core import repetition
from bot.core.cards import Reply, refuse, tell
from bot.core.model import Actor, Channel
from bot.core.profile import Assessed, Figure
from bot.core.schedule import local_date
from bot.core.services.context import Core, catalogue_for, kinds_in_rotation
from bot.storage.uow import UnitOfWork
from drills import Level, kind_label

CONFIRM = "confirm"


@dataclass(frozen=True)
class History:
    """A member's assessed answers and their practice schedule, read in one unit of work."""

    assessed: list[Assessed]
    states: list[repetition.KindState]
    today: date


def read_history(
    uow: UnitOfWork, core: Core, channel: Channel, member_id: int, now: datetime
) -> History:
    catalogue = catalogue_for(uow, core, channel.id)
    assessed, answered = [], []
    for item in uow.reviews.history(member_id):
        drill = catalogue.get(item.drill_id)
        found = None
        if drill is not None and item.covered is not None:
            found = figures.assess(drill, item.day, item.covered, item.reviewers)
        assessed += [found] if found else []
        answered.append((item.kind, item.day, found))
    kinds = list(kinds_in_rotation(catalogue, channel.settings))
    states = repetition.schedule(kinds, figures.practices(answered))
    return History(assessed, states, local_date(now, channel.settings.zone))


async def show_profile(core: Core, actor: Actor, channel: Channel, now: datetime) -> Reply:
    return await core.db.run(lambda uow: read_profile(uow, core, actor, channel, now))


def read_profile(
    uow: UnitOfWork, core: Core, actor: Actor, channel: Channel, now: datetime
) -> Reply:
    """The member's skill profile, read in the caller's unit of work."""
    member_id = uow.members.ensure(actor)
    history = read_history(uow, core, channel, member_id, now)
    given = uow.reviews.reads_given(member_id)
    return tell(_profile_text(history, len(given), figures.calibration(given)))


def _profile_text(history: History, given: int, agreement: Figure | None) -> str:
    lines = [
        "Your skill profile (only you see this). Coverage is the share of rubric weight "
        "reviewers saw in your answers; self-reviews count half."
    ]
    if not history.assessed:
        lines.append(
            "No reviewed answers yet: answer a drill and ask peers for a review, "
            "or rate your on-demand answer with 'review self'."
        )
    else:
        lines += [_levels(history), *_kinds(history), *_tags(history)]
    agreed = (
        f"; your reads matched the majority {agreement.mean:.0%} of {agreement.answers} times"
        if agreement
        else ""
    )
    lines.append(f"Reviews given: {given}{agreed}.")
    return "\n".join(lines)


def _levels(history: History) -> str:
    today = history.today + timedelta(days=1)
    recent, before = today - figures.TREND, today - 2 * figures.TREND
    parts = []
    for level in (Level.SENIOR, Level.STAFF):
        now_ = figures.level_figure(history.assessed, level, recent, today)
        then = figures.level_figure(history.assessed, level, before, recent)
        parts.append(f"{level.value} points {_percent(now_)}{_trend(now_, then)}")
    return "Level coverage, last 4 weeks: " + ", ".join(parts) + "."


def _trend(now_: Figure | None, then: Figure | None) -> str:
    if now_ is None or then is None:
        return ""
    change = round((now_.mean - then.mean) * 100)
    word = "steady" if abs(change) < 5 else ("up" if change > 0 else "down")
    return f" ({word} from {then.mean:.0%})"


def _percent(figure: Figure | None) -> str:
    return "-" if figure is None else f"{figure.mean:.0%}"


def _kinds(history: History) -> list[str]:
    since = history.today - figures.RECENT
    recent, ever = figures.by_kind(history.assessed, since), figures.by_kind(history.assessed)
    lines = ["By kind, last 8 weeks / all time:"]
    for kind in sorted(ever):
        shown = recent.get(kind)
        lines.append(f"  {kind_label(kind)}: {_counted(shown)} / {_counted(ever[kind])}")
    return lines


def _counted(figure: Figure | None) -> str:
    return "-" if figure is None else f"{figure.mean:.0%} ({figure.answers})"


def _tags(history: History) -> list[str]:
    """Every tag practised, weakest first (all time), with the last 8 weeks beside it."""
    ever = figures.by_tag(history.assessed)
    recent = figures.by_tag(history.assessed, history.today - figures.RECENT)
    ordered = figures.weakest(ever, len(ever))
    shown = [f"{tag} {_percent(recent.get(tag))} / {ever[tag].mean:.0%}" for tag in ordered]
    lines = [f"Weakest tags: {', '.join(ordered[: figures.WEAKEST_SHOWN])}."]
    return [*lines, "By tag, last 8 weeks / all time, weakest first: " + ", ".join(shown) + "."]


async def delete_profile(core: Core, actor: Actor, args: tuple[str, ...], now: datetime) -> Reply:
    """``profile delete confirm`` forgets every review the member gave or received."""
    if not args or args[0].lower() != CONFIRM:
        return tell(
            "This deletes every review you gave and every review your answers received, in every "
            "channel here; settled points stay as they are. Type 'profile delete confirm' to go on."
        )

    def work(uow: UnitOfWork) -> Reply:
        member_id = uow.members.find(actor.platform, actor.space_ref, actor.user_ref)
        if member_id is None:
            return refuse("There is nothing to delete: you have no profile here yet.")
        gone = uow.reviews.forget_member(member_id)
        uow.commit()
        return tell(f"Deleted {gone} reviews from your profile. Settled points were kept.")

    return await core.db.run(work)
