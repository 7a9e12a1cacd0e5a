"""Points for a round, and the order of a leaderboard."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.core.coach import review_points_earned, reviewer_points_earned
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
    reviews: int = 0  # peer reviews the member's answer received
    reviewing: int = 0  # reviews the member gave in the round

    @property
    def points(self) -> int:
        votes = self.answers * ANSWER_POINTS + self.votes * VOTE_POINTS + self.bonus
        return votes + review_points_earned(self.reviews) + reviewer_points_earned(self.reviewing)


def score_round(
    tallies: Sequence[AnswerTally],
    reviews_received: Mapping[int, int] | None = None,
    reviews_given: Mapping[int, int] | None = None,
) -> list[RoundScore]:
    """Every answer earns participation and its votes; all answers tied for most votes share the bonus.

    No bonus is given when nobody received a vote. Reviews received (by answer id) and given (by
    member id) add their points; a member who only reviewed scores for reviewing alone.
    """
    received, given = reviews_received or {}, reviews_given or {}
    best = max((t.votes for t in tallies), default=0)
    scores = [
        RoundScore(
            t.member_id,
            1,
            t.votes,
            TOP_ANSWER_BONUS if best and t.votes == best else 0,
            received.get(t.answer_id, 0),
            given.get(t.member_id, 0),
        )
        for t in tallies
    ]
    answered = {t.member_id for t in tallies}
    scores += [RoundScore(m, 0, 0, 0, 0, n) for m, n in given.items() if m not in answered and n]
    return scores


def top_answers(
    tallies: Iterable[AnswerTally], limit: int = TOP_ANSWERS_SHOWN
) -> list[AnswerTally]:
    """Most votes first; the earlier answer wins a tie."""
    return sorted(tallies, key=lambda t: (-t.votes, t.created_at, t.answer_id))[:limit]
