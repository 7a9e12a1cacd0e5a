"""What the core asks a platform to show. Adapters render each card their own way."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from bot.core.model import AnswerTally, ChannelSettings, Standing
from bot.core.vocab import RoundMode
from drills import Drill


@dataclass(frozen=True)
class DrillCard:
    round_id: int
    mode: RoundMode
    drill: Drill
    closes_at: datetime
    timezone: str
    requested_by: str | None = None
    answers_close_at: datetime | None = None  # blind: answers are revealed together at this time


@dataclass(frozen=True)
class ResultsCard:
    round_id: int
    drill: Drill
    top: tuple[AnswerTally, ...]
    answers: int
    voters: int
    on_demand: bool = False  # an on-demand reveal for one member, not a round's results
    others: tuple[AnswerTally, ...] = ()  # every other on-time answer, by number, named briefly
    reviews: tuple[str, ...] = ()  # what reviewers saw in each answer (``readouts``), in words


@dataclass(frozen=True)
class StreakCard:
    display_name: str
    current: int
    longest: int
    freezes: int
    points_this_week: int


@dataclass(frozen=True)
class SettingsCard:
    settings: ChannelSettings
    next_post_at: datetime | None
    next_weekly_at: datetime | None
    drills_in_rotation: int
    holidays: tuple[date, ...] = ()  # declared holidays from today on


@dataclass(frozen=True)
class Notice:
    text: str


@dataclass(frozen=True)
class VoteReceipt:
    text: str
    answer_id: int
    votes: int
    voted: bool
    author_name: str = ""  # for platforms that render the name their own way


@dataclass(frozen=True)
class BallotCard:
    """The vote button under an answer, posted in the round's thread; ``number`` is the answer's
    number in its round (what members see and ``vote N`` takes), ``answer_id`` the button's value."""

    answer_id: int
    author_name: str
    number: int = 0
    text: str | None = None  # a blind round's answer, revealed with its ballot (member text)


@dataclass(frozen=True)
class FileCard:
    """A file for the member (an export archive, a picture): ``alt_text`` describes it in words
    for screen readers, ``summary_text`` is shown with it as its text equivalent."""

    filename: str
    data: bytes = field(repr=False)
    alt_text: str
    summary_text: str


@dataclass(frozen=True)
class LeaderboardCard:
    title: str
    standings: tuple[Standing, ...]
    first: date | None = None
    last: date | None = None
    # Places moved since the week before, one per standing (None: not in that week's top 10).
    moves: tuple[int | None, ...] = ()
    image: FileCard | None = None  # the weekly post's picture, attached where the platform can


Card = (
    DrillCard
    | ResultsCard
    | LeaderboardCard
    | StreakCard
    | SettingsCard
    | Notice
    | VoteReceipt
    | BallotCard
    | FileCard
)


@dataclass(frozen=True)
class Reply:
    """The answer to a member's action; ``private`` replies are ephemeral where the platform can."""

    card: Card
    private: bool = True
    ok: bool = True
    notes: tuple[
        str, ...
    ] = ()  # news for this member (a freeze spent, points earned), shown with it


def refuse(text: str) -> Reply:
    return Reply(Notice(text), private=True, ok=False)


def tell(text: str, private: bool = True) -> Reply:
    return Reply(Notice(text), private=private, ok=True)


@dataclass(frozen=True)
class AnswerReceipt:
    """A thread message became (part of) an answer."""

    answer_id: int
    round_id: int
    created: bool
    late: bool
    truncated: bool  # the answer reached the stored limit: the text past it was not kept
    reveal: ResultsCard | None = None
    number: int = 0  # the answer's number in its round (1, 2, 3... in posting order)
    blind: bool = False  # a thread message in a blind round: not taken, answer privately instead
    hidden: bool = False  # recorded privately in a blind round, revealed with the others later
    too_short: int = 0  # the channel's minimum length when the answer is still shorter, else 0
    news: tuple[str, ...] = ()  # streak changes the author has not been told about
    full: bool = False  # the answer already held the limit: nothing of this message was added
    after_review: bool = False  # the author had reviewed (seen the rubric) before this message
