"""Recording an answer: everything it reads, in one query (the round with its channel, the member,
what they already have in that round and their streak), and the start of a new answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, and_, bindparam, exists, select

from bot.core.model import Actor, Channel, Place, Round
from bot.core.streaks import StreakState
from bot.storage.repos.answer_start import Duplicate, NewAnswer, start_answer
from bot.storage.repos.answers import AnswerRow
from bot.storage.repos.channels import MemberRepo, channel_from_row
from bot.storage.repos.driver import fetch_on_driver
from bot.storage.repos.recent import Recent, ThreadKey
from bot.storage.repos.rounds import round_from_row
from bot.storage.tables import answers, channels, members, reviews, rounds, streaks

_CHANNEL = "ch__"  # the channel's columns beside the round's, whose names they share


_STREAK = ("current", "longest", "freezes", "last_day")


def _round_with_channel(which_round: ColumnElement[bool]) -> Select[Any]:
    """The newest round matching ``which_round``, with its channel's columns beside it."""
    return (
        select(rounds, *(column.label(_CHANNEL + column.name) for column in channels.c))
        .join(channels, channels.c.id == rounds.c.channel_id)
        .where(which_round)
        .order_by(rounds.c.id.desc())
        .limit(1)
    )


def _context(which_round: ColumnElement[bool]) -> Select[Any]:
    """One row per answer the member has in the round (on time, late), or one row without any:
    the round and its channel, the member's id and name (null for a stranger), whether they have
    reviewed in the round, and their streak in its channel."""
    here = _round_with_channel(which_round).subquery("here")
    reviewed = exists().where(
        reviews.c.round_id == here.c.id, reviews.c.reviewer_id == members.c.id
    )
    return select(
        here,
        members.c.id.label("m__id"),
        members.c.display_name.label("m__name"),
        *(answers.c[name].label("a__" + name) for name in ("id", "late", "withdrawn", "text")),
        reviewed.label("reviewed"),
        *(streaks.c[name].label("s__" + name) for name in _STREAK),
    ).select_from(
        here.outerjoin(
            members,
            and_(
                members.c.platform == bindparam("platform"),
                members.c.space_ref == bindparam("space_ref"),
                members.c.user_ref == bindparam("user_ref"),
            ),
        )
        .outerjoin(
            answers, and_(answers.c.round_id == here.c.id, answers.c.member_id == members.c.id)
        )
        .outerjoin(
            streaks,
            and_(streaks.c.channel_id == here.c.channel_id, streaks.c.member_id == members.c.id),
        )
    )


_THREAD_OF_CHANNEL = and_(
    rounds.c.thread_ref == bindparam("thread_ref"),
    channels.c.platform == bindparam("place_platform"),
    channels.c.space_ref == bindparam("place_space_ref"),
    channels.c.channel_ref == bindparam("channel_ref"),
)
_IN_THREAD = _context(_THREAD_OF_CHANNEL)
_ROUND_IN_THREAD = _round_with_channel(_THREAD_OF_CHANNEL)
# A form's round id is forgeable: the round counts only when its channel is in the member's space.
_IN_SPACE = _context(
    and_(
        rounds.c.id == bindparam("round_id"),
        channels.c.platform == bindparam("platform"),
        channels.c.space_ref == bindparam("space_ref"),
    )
)


@dataclass(frozen=True)
class MemberInRound:
    on_time: AnswerRow | None
    late: AnswerRow | None
    reviewed: bool  # they have opened the round's rubric by reviewing an answer in it
    streak: StreakState  # their kept streak state in the round's channel


@dataclass(frozen=True)
class AnswerContext:
    """What recording a member's message reads, all at once."""

    round: Round
    channel: Channel
    member_id: int | None  # None: not a member yet
    member_name: str | None
    mine: MemberInRound
    # Not read but recalled (``AnsweringRepo.guess_in_thread``): only a write that checks it
    # still holds may act on it.
    guessed: bool = False


class AnsweringRepo:
    def __init__(
        self, connection: Connection, members_: MemberRepo, recent: Recent | None = None
    ) -> None:
        self._c = connection
        self._members = members_
        self._recent = recent  # PostgreSQL: what the process read last (``recent``)

    def round_in_thread(self, place: Place, thread_ref: str) -> tuple[Round, Channel] | None:
        """The newest round posted in this thread of the place's channel, with the channel."""
        row = self._c.execute(_ROUND_IN_THREAD, _thread(place, thread_ref)).first()
        if row is None:
            return None
        return round_from_row(row), channel_from_row(_channel_columns(row))

    def in_thread(self, place: Place, thread_ref: str, author: Actor) -> AnswerContext | None:
        """That round with what the author has in it; None when the thread is no round's."""
        params = {**_thread(place, thread_ref), **_whose(author)}
        here = _read(fetch_on_driver(self._c, _IN_THREAD, params))
        if here is not None and self._recent is not None:
            self._recent.threads.put(_key(place, thread_ref), (here.round, here.channel))
            if here.member_id is not None:
                answered = here.mine.on_time is not None or here.mine.late is not None
                self._note(
                    here.round.id, here.channel.id, here.member_id, here.mine.streak, answered
                )
        return here

    def guess_in_thread(self, place: Place, thread_ref: str, author: Actor) -> AnswerContext | None:
        """What ``in_thread`` would read for a member's first answer, recalled from what this
        process read last (no statement); None when there is nothing to go by, or the member
        answered in that round already."""
        if (
            self._recent is None
            or (seen := self._recent.threads.get(_key(place, thread_ref))) is None
        ):
            return None
        round_, channel = seen
        known = self._members.known(author)
        if known is None:
            return AnswerContext(round_, channel, None, None, _NOTHING_YET, guessed=True)
        member_id, name = known
        streak = self._recent.streaks.get((channel.id, member_id))
        if streak is None or self._recent.answered.get((round_.id, member_id)):
            return None
        mine = MemberInRound(None, None, False, streak)
        return AnswerContext(round_, channel, member_id, name, mine, guessed=True)

    def _note(
        self, round_id: int, channel_id: int, member_id: int, streak: StreakState, answered: bool
    ) -> None:
        """Keep the member's streak as it stands, and whether they have answered in the round."""
        assert self._recent is not None
        self._recent.streaks.put((channel_id, member_id), streak)
        if answered:
            self._recent.answered.put((round_id, member_id), True)

    def in_space(self, round_id: int, author: Actor) -> AnswerContext | None:
        """Round ``round_id`` with what the author has in it, if its channel is in their space."""
        params = {"round_id": round_id, **_whose(author)}
        return _read(fetch_on_driver(self._c, _IN_SPACE, params))

    def start(self, new: NewAnswer) -> tuple[int, int, int, bool] | None:
        """A new answer whose text is its first message, with the member (made or renamed) and
        their streak day: (answer id, member id, number in the round, news waiting); None when
        the message was stored before."""
        started = start_answer(self._c, self._members, new)
        if started is not None and self._recent is not None:
            streak = new.was if new.streak is None else new.streak
            self._note(new.round_id, new.channel_id, started[1], streak, answered=True)
        return started


_NOTHING_YET = MemberInRound(None, None, False, StreakState())


def _key(place: Place, thread_ref: str) -> ThreadKey:
    return place.platform, place.space_ref, place.channel_ref, thread_ref


def _thread(place: Place, thread_ref: str) -> dict[str, str]:
    return {
        "thread_ref": thread_ref,
        "place_platform": place.platform,
        "place_space_ref": place.space_ref,
        "channel_ref": place.channel_ref,
    }


def _whose(author: Actor) -> dict[str, str]:
    return {"platform": author.platform, "space_ref": author.space_ref, "user_ref": author.user_ref}


def _read(rows: Sequence[Any]) -> AnswerContext | None:
    if not rows:
        return None
    first = rows[0]
    found = {row.a__late: _answer(row) for row in rows if row.a__id is not None}
    mine = MemberInRound(found.get(False), found.get(True), bool(first.reviewed), _streak(first))
    channel = channel_from_row(_channel_columns(first))
    return AnswerContext(round_from_row(first), channel, first.m__id, first.m__name, mine)


_CHANNEL_KEYS = tuple((column.name, _CHANNEL + column.name) for column in channels.c)


def _channel_columns(row: Any) -> SimpleNamespace:
    """The channel's columns of ``row``, under their own names."""
    return SimpleNamespace(**{name: getattr(row, key) for name, key in _CHANNEL_KEYS})


def _streak(row: Any) -> StreakState:
    if row.s__current is None:
        return StreakState()
    return StreakState(row.s__current, row.s__longest, row.s__freezes, row.s__last_day)


def _answer(row: Any) -> AnswerRow:
    return AnswerRow(
        row.a__id, row.id, row.m__id, bool(row.a__late), bool(row.a__withdrawn), row.a__text
    )


__all__ = ["AnswerContext", "AnsweringRepo", "Duplicate", "MemberInRound", "NewAnswer"]
