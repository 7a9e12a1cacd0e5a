"""Blind rounds: answers stay private until the answer window ends, then all are revealed at once
(one ballot post per answer, with its text) and a review window follows before the results."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

from bot.core import keys, wording
from bot.core.cards import DrillCard, Reply, refuse, tell
from bot.core.model import Actor, Channel, NewPost, Place, PostContent, Round
from bot.core.services import answers, ballots, ondemand
from bot.core.services.context import Core, catalogue_for
from bot.core.vocab import PostKind, RoundMode
from bot.storage.uow import UnitOfWork


async def reveal_due_rounds(core: Core, now: datetime) -> list[int]:
    """Reveal every blind round whose answer window has ended; the rounds revealed."""
    revealed = []
    while due := await core.db.run(lambda uow: uow.rounds.due_to_reveal(now)):
        for round_ in due:
            if await core.db.run(partial(reveal_round, round_=round_, now=now)):
                revealed.append(round_.id)
    return revealed


def reveal_round(uow: UnitOfWork, round_: Round, now: datetime) -> bool:
    """Queue the reveal under the round's own keys; False when another worker revealed it."""
    if not uow.rounds.mark_revealed(round_.id, now):
        return False
    tallies = uow.answers.tallies(round_.id)
    channel = uow.channels.get(round_.channel_id)
    body = reveal_notice(
        round_, len(tallies), channel.settings.zone if channel else ZoneInfo("UTC")
    )
    notice = NewPost(round_.channel_id, PostKind.NOTICE)
    uow.posts.claim(
        keys.notice_post(round_.channel_id, f"reveal:{round_.id}"),
        now,
        notice,
        PostContent(body=body),
    )
    for tally in sorted(tallies, key=lambda t: t.number):
        post = NewPost(round_.channel_id, PostKind.BALLOT, round_.id)
        uow.posts.claim(
            keys.ballot_post(tally.answer_id), now, post, PostContent(answer_id=tally.answer_id)
        )
    uow.commit()
    return True


def reveal_notice(round_: Round, answers: int, zone: ZoneInfo) -> str:
    closes = f"{round_.closes_at.astimezone(zone):%a %d %b %H:%M} ({zone.key})"
    if not answers:
        return f"The {round_.local_date:%a %d %b} blind drill closed with no answers."
    count = "1 answer is" if answers == 1 else f"{answers} answers are"
    return (
        f"The {round_.local_date:%a %d %b} blind drill's {count} revealed in its thread. Vote for "
        f"the ones you would hire and review them against the rubric ('review N') until {closes}."
    )


async def answer_privately(
    core: Core, actor: Actor, channel: Channel, place: Place, text: str, key: str, now: datetime
) -> Reply:
    """``answer TEXT``: an answer given by command (a blind drill's way in; any drill takes it)."""
    round_id = await core.db.run(lambda uow: _round_to_answer(uow, channel, place, actor))
    if round_id is None:
        return refuse("There is no open drill here to answer; 'drill' gives you one.")
    return await answer_round(core, actor, round_id, f"command:{key}", text, now)


async def answer_round(
    core: Core, actor: Actor, round_id: int, message_ref: str, text: str, now: datetime
) -> Reply:
    """An answer to a known round given by command or form: the private receipt (an on-demand
    drill's reveal), and the Vote button of an answer that takes votes at once."""
    receipt = await answers.submit_answer(core, actor, round_id, message_ref, text, now)
    if receipt is None:
        return refuse(wording.NOT_RECORDED)
    if await ballots.queue_ballot(core, receipt, now) is not None:
        core.signals.work_queued()
    if receipt.reveal is not None:
        return Reply(receipt.reveal, notes=receipt.news)
    return tell(wording.answer_receipt(receipt))


async def drill_to_answer(core: Core, actor: Actor, round_id: int, now: datetime) -> Reply:
    """The drill an Answer button opens: an open blind drill, or the member's on-demand drill."""
    reply = await core.db.run(lambda uow: _blind_drill(uow, core, round_id, now))
    return reply if reply is not None else await ondemand.show_on_demand(core, actor, round_id, now)


def _blind_drill(uow: UnitOfWork, core: Core, round_id: int, now: datetime) -> Reply | None:
    """A daily blind round's drill card; None for any other round (the on-demand rules apply)."""
    round_ = uow.rounds.get(round_id)
    if round_ is None or round_.mode is not RoundMode.DAILY or not round_.blind:
        return None
    channel = uow.channels.get(round_.channel_id)
    drill = catalogue_for(uow, core, round_.channel_id).get(round_.drill_id)
    if round_.is_closed_at(now) or channel is None or drill is None:
        return refuse("That drill has closed; its results are in its thread.")
    zone, closes = channel.settings.timezone, round_.closes_at
    card = DrillCard(
        round_.id, round_.mode, drill, closes, zone, answers_close_at=round_.answers_close_at
    )
    return Reply(card)


def _round_to_answer(uow: UnitOfWork, channel: Channel, place: Place, actor: Actor) -> int | None:
    """The round of this thread, else the newest open one the member may answer here."""
    if place.thread_ref is not None:
        round_ = uow.rounds.by_thread(place.thread_ref)
        if round_ is not None and round_.channel_id == channel.id:
            return round_.id
    member_id = uow.members.find(actor.platform, actor.space_ref, actor.user_ref)
    found = uow.rounds.latest_open_for(channel.id, member_id or 0)
    return found.id if found else None
