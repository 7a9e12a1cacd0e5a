"""The leaderboard's order written as a plain sort: the oracle the SQL ranking is tested against."""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.model import Standing


def rank(standings: Iterable[Standing], limit: int | None = 10) -> list[Standing]:
    """Points, then votes, then answers, then name, then member id: a total order."""
    ordered = sorted(
        standings,
        key=lambda s: (-s.points, -s.votes, -s.answers, s.display_name.casefold(), s.member_id),
    )
    return ordered if limit is None else ordered[:limit]
