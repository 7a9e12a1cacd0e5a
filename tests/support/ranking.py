"""The leaderboard written the plain way, a sort over every member's sums: the oracle the SQL
ranking is tested against."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from bot.core.model import Channel, Standing
from bot.core.scoring import ANSWER_POINTS, VOTE_POINTS
from bot.core.vocab import RoundMode
from bot.storage.uow import UnitOfWork


def rank(standings: Iterable[Standing], limit: int | None = 10) -> list[Standing]:
    """Points, then votes, then answers, then name, then member id: a total order."""
    ordered = sorted(
        standings,
        key=lambda s: (-s.points, -s.votes, -s.answers, s.display_name.casefold(), s.member_id),
    )
    return ordered if limit is None else ordered[:limit]


def standings_by_rule(
    uow: UnitOfWork, channel: Channel, first: date | None, last: date | None
) -> list[Standing]:
    """Every member's standing over the dates given (all time when None), summed the long way:
    settled round scores plus what open daily rounds in the period have earned so far (no bonus)."""
    totals = {s.member_id: s for s in uow.scores.standings(channel.id, first, last)}
    for round_ in uow.rounds.open_in(channel.id, first or date.min, last or date.max):
        if round_.mode is RoundMode.DAILY:
            for member_id, name, votes in uow.answers.live_votes(round_.id):
                before = totals.get(member_id, Standing(member_id, name, 0, 0, 0))
                totals[member_id] = Standing(
                    member_id,
                    before.display_name,
                    before.points + ANSWER_POINTS + votes * VOTE_POINTS,
                    before.answers + 1,
                    before.votes + votes,
                )
    return list(totals.values())
