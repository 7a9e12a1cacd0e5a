"""Rubric reviews: ``review N POINTS READ [note]`` during a round, ``review self`` after practice.

Reviewing shows the rubric, so the rules keep it fair: nobody reviews their own daily answer, an
answer a reviewer starts after their first review in a round is kept but scored as late, and
edits after it do not change the judged answer (``answers`` applies both).
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from bot.core import coach
from bot.core.cards import Reply, refuse, tell
from bot.core.coach import ReviewMark
from bot.core.errors import StorageUnavailable
from bot.core.model import Actor, Channel, Place, Round
from bot.core.services.context import Core, catalogue_for
from bot.core.services.votes import round_in
from bot.core.text import clean_input, clip, one_line
from bot.core.vocab import RoundMode
from bot.storage.uow import UnitOfWork
from drills import Drill

COULD_NOT_SAVE = "Couldn't save your review: please try again in a minute."
USAGE = "Use: review N POINTS READ [note], like 'review 2 1,3 senior clear rollback plan'."
SELF = "self"
T = TypeVar("T")


@dataclass(frozen=True)
class ReviewForm:
    """What a platform's review form shows: the rubric to tick and the member's current review."""

    answer_id: int
    number: int
    points: tuple[tuple[str, str], ...]  # (level, point) in rubric order: point n is index n-1
    current: ReviewMark | None
    self_review: bool


@dataclass(frozen=True)
class Target:
    """The answer a review is about, with its round and drill."""

    answer_id: int
    number: int
    author_id: int
    round_: Round
    drill: Drill


async def review(
    core: Core, actor: Actor, channel: Channel, place: Place, args: tuple[str, ...], now: datetime
) -> Reply:
    """Show the rubric for answer N (no points given) or save the member's review of it."""
    if actor.is_bot:
        return refuse("Bots cannot review.")

    def work(uow: UnitOfWork) -> Reply:
        reviewer_id = uow.members.ensure(actor)
        found = _target(uow, core, channel, place, args[0], reviewer_id, now)
        if isinstance(found, str):
            return refuse(found)
        problem = _not_allowed(found, reviewer_id, now)
        if problem:
            return refuse(problem)
        if len(args) == 1:
            return tell(_form(uow, found, reviewer_id))
        return _save(uow, found, reviewer_id, args[1:], now)

    return await core.db.run(work)


def _target(
    uow: UnitOfWork,
    core: Core,
    channel: Channel,
    place: Place,
    which: str,
    member_id: int,
    now: datetime,
) -> Target | str:
    if which.lower() == SELF:
        round_ = uow.rounds.latest_on_demand_of(channel.id, member_id)
        answer = uow.answers.of_member(round_.id, member_id, False) if round_ else None
        if round_ is None or answer is None:
            return "Answer an on-demand drill ('drill') first; then 'review self' rates it."
        return _with_drill(uow, core, round_, answer.id, 1, member_id)
    number = _number(which)
    round_ = round_in(uow, channel.id, place, now)
    answer_id = uow.answers.by_number(round_.id, number) if round_ and number else None
    author = uow.answers.author_of(answer_id) if answer_id else None
    if round_ is None or answer_id is None or author is None:
        return f"There is no answer {clip(which, 12)} in this drill's round. {USAGE}"
    return _with_drill(uow, core, round_, answer_id, number or 0, author)


def _target_by_id(uow: UnitOfWork, core: Core, place: Place, answer_id: int) -> Target | str:
    """A review reached by a button: the answer must be in a round of the place's channel."""
    channel = uow.channels.find(place.platform, place.space_ref, place.channel_ref)
    row = uow.answers.get(answer_id) if channel else None
    round_ = uow.rounds.get(row.round_id) if row else None
    if channel is None or row is None or round_ is None or round_.channel_id != channel.id:
        return "That answer is not in a drill of this channel; nothing was recorded."
    if row.withdrawn or row.late:
        return "That answer was withdrawn or came late, so it is not reviewed."
    number = uow.answers.number_in_round(round_.id, answer_id)
    return _with_drill(uow, core, round_, answer_id, number, row.member_id)


def _with_drill(
    uow: UnitOfWork, core: Core, round_: Round, answer_id: int, number: int, author: int
) -> Target | str:
    drill = catalogue_for(uow, core, round_.channel_id).get(round_.drill_id)
    if drill is None:
        return "That drill is no longer in the bank, so it cannot be reviewed."
    return Target(answer_id, number, author, round_, drill)


def _number(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 6 else None


def _not_allowed(target: Target, reviewer_id: int, now: datetime) -> str | None:
    round_, own = target.round_, target.author_id == reviewer_id
    if round_.mode is RoundMode.ON_DEMAND:
        return None if own else "On-demand drills are for one member; only they rate it."
    if own:
        return "You cannot review your own answer; reviewing others' is how you earn here."
    if round_.is_closed_at(now):
        return "Reviews have closed for this round; the results are in the thread."
    if round_.hidden_at(now):
        return "This drill is blind: answers are revealed together when its answer window ends."
    return None


def _form(uow: UnitOfWork, target: Target, reviewer_id: int) -> str:
    """The rubric numbered, for ticking, with the member's current review if any."""
    lines = [f"Reviewing answer {target.number}. Rubric points:"]
    for n, point in enumerate(target.drill.rubric, start=1):
        lines.append(f"  {n}. [{point.level.value}] {point.point}")
    mine = uow.reviews.mine(target.answer_id, reviewer_id)
    if mine is not None:
        lines.append(f"Your review now: {_summary(mine, len(target.drill.rubric))}.")
    lines.append(USAGE if target.round_.mode is RoundMode.DAILY else _SELF_USAGE)
    return "\n".join(lines)


_SELF_USAGE = "Use: review self POINTS READ, like 'review self 1,2 senior'."


def _summary(mark: ReviewMark, count: int) -> str:
    points = ", ".join(str(n) for n in sorted(mark.points)) or "none"
    return f"points {points} of {count}, read {mark.read.value}"


def _save(
    uow: UnitOfWork, target: Target, reviewer_id: int, rest: tuple[str, ...], now: datetime
) -> Reply:
    if len(rest) < 2:
        return refuse(f"Give the points you saw and a read. {USAGE}")
    count = len(target.drill.rubric)
    try:
        points, read = coach.parse_points(rest[0], count), coach.parse_read(rest[1])
    except ValueError as error:
        return refuse(str(error))
    note = clip(one_line(clean_input(" ".join(rest[2:]))), coach.NOTE_CHARS) or None
    own = target.author_id == reviewer_id
    mark = ReviewMark(reviewer_id, points, read, note, self_assessed=own)
    created = uow.reviews.save(target.answer_id, target.round_.id, mark, now)
    uow.reviews.refresh_coverage(target.answer_id)
    uow.commit()
    return tell(_receipt(target, mark, created))


def _receipt(target: Target, mark: ReviewMark, created: bool) -> str:
    saved = "Saved" if created else "Updated"
    what = "your self-review" if mark.self_assessed else f"your review of answer {target.number}"
    text = f"{saved} {what}: {_summary(mark, len(target.drill.rubric))}."
    if mark.self_assessed:
        return f"{text} It feeds your profile at half weight."
    return f"{text} You can change it until the round closes; it shows in the results."


async def review_form(
    core: Core, actor: Actor, place: Place, answer_id: int, now: datetime
) -> ReviewForm | Reply:
    """The form for a Review button: the rubric of the answer's drill, or a refusal."""

    def work(uow: UnitOfWork) -> ReviewForm | Reply:
        found = _target_by_id(uow, core, place, answer_id)
        reviewer_id = uow.members.ensure(actor)
        problem = found if isinstance(found, str) else _not_allowed(found, reviewer_id, now)
        if problem or isinstance(found, str):
            return refuse(str(problem))
        points = tuple((p.level.value, p.point) for p in found.drill.rubric)
        mine = uow.reviews.mine(answer_id, reviewer_id)
        uow.commit()
        return ReviewForm(answer_id, found.number, points, mine, found.author_id == reviewer_id)

    if actor.is_bot:
        return refuse("Bots cannot review.")
    return await _guarded(core.db.run(work))


async def submit_review(
    core: Core,
    actor: Actor,
    place: Place,
    answer_id: int,
    ticks: tuple[str, str, str],
    now: datetime,
) -> Reply:
    """A review from a platform form: ``ticks`` is (points like "1,3", read, note)."""
    if actor.is_bot:
        return refuse("Bots cannot review.")

    def work(uow: UnitOfWork) -> Reply:
        found = _target_by_id(uow, core, place, answer_id)
        reviewer_id = uow.members.ensure(actor)
        problem = found if isinstance(found, str) else _not_allowed(found, reviewer_id, now)
        if problem or isinstance(found, str):
            return refuse(str(problem))
        points, read, note = ticks
        return _save(uow, found, reviewer_id, (points or "none", read, note), now)

    return await _guarded(core.db.run(work))


async def _guarded(work: Awaitable[T]) -> T | Reply:
    """A form's reply; with the database locked or down, the member is told to try again."""
    try:
        return await work
    except StorageUnavailable:
        return refuse(COULD_NOT_SAVE)
