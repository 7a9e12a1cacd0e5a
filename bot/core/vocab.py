"""The words the core stores and compares: round modes and statuses, post kinds and statuses.

Each is a ``StrEnum`` whose values are what the database holds, so rows written before these
types existed read back unchanged.
"""

from __future__ import annotations

from enum import StrEnum


class RoundMode(StrEnum):
    DAILY = "daily"  # the channel's scheduled drill, answered by everyone
    ON_DEMAND = "on_demand"  # one member asked for it with ``drill``


class RoundStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    SKIPPED = "skipped"  # an admin skipped the day, or the bot was down past the grace period


class PostKind(StrEnum):
    DRILL = "drill"
    RESULTS = "results"
    LEADERBOARD = "leaderboard"
    BALLOT = "ballot"  # the vote button under an answer
    NOTICE = "notice"  # a public reply to a command (its text is kept with the post)


class PostStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # given up: a permanent platform error
    SKIPPED = "skipped"  # nothing to send (a week in which nobody scored)
