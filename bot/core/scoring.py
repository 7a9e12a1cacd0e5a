"""Points for a round, and the order of a leaderboard."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.core.model import AnswerTally

ANSWER_POINTS = 2
VOTE_POINTS = 1
TOP_ANSWER_BONUS = 3
TOP_ANSWERS_SHOWN = 3


@dataclass(frozen=True)
class RoundScore:
    member_id: int
    answers: int
    votes: int
    bonus: int

    @property
    def points(self) -> int:
        return self.answers * ANSWER_POINTS + self.votes * VOTE_POINTS + self.bonus


def score_round(tallies: Sequence[AnswerTally]) -> list[RoundScore]:
    """Every answer earns participation and its votes; all answers tied for most votes share the bonus.

    No bonus is given when nobody received a vote.
    """
    best = max((t.votes for t in tallies), default=0)
    return [
        RoundScore(t.member_id, 1, t.votes, TOP_ANSWER_BONUS if best and t.votes == best else 0)
        for t in tallies
    ]


def top_answers(
    tallies: Iterable[AnswerTally], limit: int = TOP_ANSWERS_SHOWN
) -> list[AnswerTally]:
    """Most votes first; the earlier answer wins a tie."""
    return sorted(tallies, key=lambda t: (-t.votes, t.created_at, t.answer_id))[:limit]
