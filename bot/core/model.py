"""Value objects shared by the rules, the use cases and the adapters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.text import clean_name
from bot.core.vocab import PostKind, PostStatus, RoundMode, RoundStatus

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EVERY_DAY = frozenset(range(7))


@dataclass(frozen=True)
class ChannelSettings:
    """How one drill channel runs; ``kinds`` empty means every kind in the bank."""

    post_time: time = time(9, 0)
    timezone: str = "UTC"
    days: frozenset[int] = EVERY_DAY
    kinds: tuple[str, ...] = ()
    answer_window: timedelta = timedelta(hours=24)
    paused: bool = False
    weekly_day: int = 0
    weekly_time: time = time(9, 0)
    min_answer_chars: int = 80  # shorter answers are kept but earn no points and no streak day
    show_reviewers: bool = False  # results name who ticked what (otherwise only shares are shown)
    blind: bool = False  # answers are private until the answer window ends, then revealed together
    review_window: timedelta = timedelta(hours=12)  # blind only: votes and reviews after the reveal

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class Channel:
    id: int
    platform: str
    space_ref: str
    channel_ref: str
    settings: ChannelSettings
    next_post_at: datetime | None = None
    next_weekly_at: datetime | None = None


@dataclass(frozen=True)
class Actor:
    """A member (or bot) as the platform reports them; ``is_admin`` is the platform's verdict."""

    platform: str
    space_ref: str
    user_ref: str
    display_name: str
    is_admin: bool = False
    is_bot: bool = False

    def __post_init__(self) -> None:
        # Names enter the core here: no terminal escapes, control characters or bidi overrides.
        object.__setattr__(self, "display_name", clean_name(self.display_name))


@dataclass(frozen=True)
class Place:
    """Where something happened: a channel, or a thread inside it."""

    platform: str
    space_ref: str
    channel_ref: str
    thread_ref: str | None = None


@dataclass(frozen=True)
class Round:
    id: int
    channel_id: int
    mode: RoundMode
    local_date: date
    drill_id: str
    status: RoundStatus
    opened_at: datetime
    closes_at: datetime
    requested_by: int | None = None
    message_ref: str | None = None
    thread_ref: str | None = None
    answers_close_at: datetime | None = None  # a blind round's reveal; None: answers close with it

    def is_closed_at(self, now: datetime) -> bool:
        return self.status is not RoundStatus.OPEN or now >= self.closes_at

    @property
    def blind(self) -> bool:
        return self.answers_close_at is not None

    def answers_closed_at(self, now: datetime) -> bool:
        """On-time answers are over: the round closed, or a blind round's answer window ended."""
        return self.is_closed_at(now) or (
            self.answers_close_at is not None and now >= self.answers_close_at
        )

    def hidden_at(self, now: datetime) -> bool:
        """A blind round's answers are not yet revealed: nothing to vote for or review."""
        return self.answers_close_at is not None and now < self.answers_close_at


@dataclass(frozen=True)
class NewRound:
    """A round to claim: what ``RoundRepo.claim`` inserts under its key."""

    channel_id: int
    mode: RoundMode
    local_date: date
    drill_id: str
    drill_kind: str
    status: RoundStatus
    opened_at: datetime
    closes_at: datetime
    requested_by: int | None = None
    answers_close_at: datetime | None = None


@dataclass(frozen=True)
class NewPost:
    """A post to queue in the outbox: a round's drill or results, or a week's leaderboard."""

    channel_id: int
    kind: PostKind
    round_id: int | None = None
    week_start: date | None = None


@dataclass(frozen=True)
class AnswerTally:
    """One on-time answer of a round with the votes it received."""

    answer_id: int
    member_id: int
    display_name: str
    text: str
    votes: int
    created_at: datetime
    message_ref: str | None = None
    number: int = 0  # the answer's number in its round, as ``vote N`` and the results use it


@dataclass(frozen=True)
class Standing:
    member_id: int
    display_name: str
    points: int
    answers: int
    votes: int
    streak: int = 0


@dataclass(frozen=True)
class PostJob:
    id: int
    claim_key: str
    channel_id: int
    round_id: int | None
    kind: PostKind
    week_start: date | None
    attempts: int
    status: PostStatus
    last_error: str | None
    next_attempt_at: datetime
    created_at: datetime | None = None  # when the post was claimed
    lease_until: datetime | None = None  # set while a send is under way or its outcome is unknown

    @property
    def outcome_unknown(self) -> bool:
        """An earlier attempt may have posted: its lease was never released (a crash) or was
        kept on purpose (a timeout). Read before this attempt's own lease is taken."""
        return self.lease_until is not None


@dataclass(frozen=True)
class PostContent:
    """What a ballot or notice post shows (other posts derive theirs from a round or a week)."""

    answer_id: int | None = None
    body: str | None = None


@dataclass(frozen=True)
class MemberAnswer:
    """One of a member's answers as their own summary shows it."""

    answer_id: int
    round_id: int
    channel_id: int
    drill_id: str
    mode: RoundMode
    local_date: date
    late: bool
    votes: int


@dataclass(frozen=True)
class ConnectionState:
    """A platform's connection as its runtime last reported it: ``connected``, ``reconnecting``,
    ``failed`` (``detail`` says why and what to fix) or ``stopped``."""

    platform: str
    state: str
    detail: str | None
    changed_at: datetime


@dataclass(frozen=True)
class Problem:
    """A fault in a channel only an admin can fix, as the problems table keeps it."""

    channel_id: int
    channel_ref: str
    kind: str
    detail: str  # the fix, in words
    attempts: int
    first_seen: datetime
    last_seen: datetime
    notified_at: datetime | None = None
