"""Reviews at a round's end: what they are worth, what the results say, what each author hears."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.core import readouts
from bot.core.model import AnswerTally, Channel, Round
from bot.core.services.context import Core, catalogue_for
from bot.storage.uow import UnitOfWork


@dataclass(frozen=True)
class ReviewCounts:
    """Peer reviews a round's answers received (by answer) and its members gave (by member)."""

    received: dict[int, int] = field(default_factory=dict)
    given: dict[int, int] = field(default_factory=dict)


def count_reviews(uow: UnitOfWork, round_id: int, counted: Sequence[AnswerTally]) -> ReviewCounts:
    """Only reviews of answers that count (long enough, on time, standing) earn anyone points."""
    answer_ids = {tally.answer_id for tally in counted}
    received: Counter[int] = Counter()
    given: Counter[int] = Counter()
    for answer_id, marks in uow.reviews.of_round(round_id).items():
        for mark in marks:
            if answer_id in answer_ids and not mark.self_assessed:
                received[answer_id] += 1
                given[mark.reviewer_id] += 1
    return ReviewCounts(dict(received), dict(given))


def results_lines(
    uow: UnitOfWork, core: Core, channel: Channel, round_: Round, tallies: Sequence[AnswerTally]
) -> tuple[str, ...]:
    drill = catalogue_for(uow, core, channel.id).get(round_.drill_id)
    if drill is None:
        return ()
    readings = readouts.read_answers(drill, tallies, uow.reviews.of_round(round_.id))
    shown: dict[int, list[str]] = {}
    if channel.settings.show_reviewers:
        for named in uow.reviews.named_in_round(round_.id):
            line = readouts.reviewer_line(named.reviewer, named.mark)
            shown.setdefault(named.answer_id, []).append(line)
    return readouts.review_lines(drill, readings, shown)


def tell_authors(
    uow: UnitOfWork, core: Core, round_: Round, tallies: Sequence[AnswerTally], now: datetime
) -> None:
    """Each reviewed author learns privately what their answer covered and what it missed."""
    drill = catalogue_for(uow, core, round_.channel_id).get(round_.drill_id)
    if drill is None:
        return
    readings = readouts.read_answers(drill, tallies, uow.reviews.of_round(round_.id))
    day = f"{round_.local_date:%a %d %b}"
    for reading in readings:
        text = readouts.author_summary(drill, reading, readings, day)
        uow.streaks.notify(round_.channel_id, reading.tally.member_id, text[:500], now)
