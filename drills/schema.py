"""One drill, validated. Limits keep every drill inside one Discord embed and one Slack section.

Schema v2 adds facts revealed on request, levelled and weighted rubric points, red flags, a
strong-answer sketch and probe-tagged follow-ups. Version-1 drills (plain-string rubric points and
follow-ups) still load: their points read as senior-level, weight 1, and their follow-ups carry
no probe; ``upgrade_hints`` says what to add.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

SLUG = r"^[a-z0-9][a-z0-9-]{1,39}$"
DRILL_ID = r"^[a-z0-9][a-z0-9-]{2,63}$"
STRONG_ANSWER_WORDS = (60, 150)
FACT_KINDS = frozenset({"live-debugging", "design-warmup"})
MIN_FACTS = 3

Tag = Annotated[str, StringConstraints(strip_whitespace=True, pattern=SLUG)]
Text200 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=200)]


class Level(StrEnum):
    SENIOR = "senior"
    STAFF = "staff"


class Probe(StrEnum):
    """The follow-up probes an interviewer reaches for after a substantive answer."""

    FAILURE_MODE = "failure-mode"
    ROLLOUT = "rollout"
    ROLLBACK = "rollback"
    MEASUREMENT = "measurement"
    COST = "cost"
    SECURITY = "security"
    PEOPLE = "people"


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Fact(_Part):
    """Something the interviewer tells a candidate who asks for it."""

    ask: str = Field(min_length=10, max_length=160)
    answer: str = Field(min_length=10, max_length=400)


class RubricPoint(_Part):
    point: str = Field(min_length=10, max_length=200)
    level: Level = Level.SENIOR
    weight: int = Field(default=1, ge=1, le=3)

    def __str__(self) -> str:
        return self.point


class FollowUp(_Part):
    ask: str = Field(min_length=10, max_length=300)
    probe: Probe | None = None

    def __str__(self) -> str:
        return self.ask


def _from_plain_string(value: Any, key: str) -> Any:
    """Version-1 drills give rubric points and follow-ups as plain strings."""
    return {key: value} if isinstance(value, str) else value


class Drill(_Part):
    """A practice prompt with what a strong answer covers and the questions that follow it."""

    id: str = Field(pattern=DRILL_ID)
    kind: str = Field(pattern=SLUG)
    title: str = Field(min_length=5, max_length=100)
    difficulty: int = Field(ge=1, le=3)
    tags: tuple[Tag, ...] = Field(min_length=1, max_length=5)
    prompt: str = Field(min_length=40, max_length=1800)
    facts: tuple[Fact, ...] = Field(default=(), max_length=8)
    rubric: tuple[RubricPoint, ...] = Field(min_length=3, max_length=6)
    red_flags: tuple[Text200, ...] = Field(default=(), max_length=3)
    strong_answer: str | None = Field(default=None, max_length=1200)
    follow_ups: tuple[FollowUp, ...] = Field(min_length=1, max_length=3)

    @field_validator("rubric", mode="before")
    @classmethod
    def _plain_points(cls, value: Any) -> Any:
        return (
            [_from_plain_string(item, "point") for item in value]
            if isinstance(value, list | tuple)
            else value
        )

    @field_validator("follow_ups", mode="before")
    @classmethod
    def _plain_questions(cls, value: Any) -> Any:
        return (
            [_from_plain_string(item, "ask") for item in value]
            if isinstance(value, list | tuple)
            else value
        )

    @field_validator("strong_answer")
    @classmethod
    def _sketch_length(cls, value: str | None) -> str | None:
        low, high = STRONG_ANSWER_WORDS
        if value is not None and not low <= len(value.split()) <= high:
            raise ValueError(f"must be {low}-{high} words, has {len(value.split())}")
        return value

    @model_validator(mode="after")
    def _v2_rules(self) -> Self:
        if self.version == 2:
            self._check_v2()
        return self

    def _check_v2(self) -> None:
        problems = []
        if self.difficulty >= 2 and not any(p.level is Level.STAFF for p in self.rubric):
            problems.append("rubric: difficulty 2-3 needs at least one staff-level point")
        if not self.red_flags:
            problems.append("red_flags: a v2 drill needs 1-3 red flags")
        if self.strong_answer is None:
            problems.append("strong_answer: a v2 drill needs a strong-answer sketch")
        if len(self.follow_ups) < 2 or any(f.probe is None for f in self.follow_ups):
            problems.append("follow_ups: a v2 drill needs 2-3 follow-ups, each with a probe")
        if self.kind in FACT_KINDS and len(self.facts) < MIN_FACTS:
            problems.append(f"facts: a {self.kind} drill needs at least {MIN_FACTS} facts")
        if problems:
            raise ValueError("; ".join(problems))

    @property
    def version(self) -> int:
        """2 once any v2 field is present; a v1 drill has none of them."""
        v2 = self.facts or self.red_flags or self.strong_answer is not None
        return 2 if v2 or any(f.probe for f in self.follow_ups) else 1

    def points_at(self, level: Level) -> tuple[RubricPoint, ...]:
        return tuple(point for point in self.rubric if point.level is level)


def upgrade_hints(drill: Drill) -> list[str]:
    """What a version-1 drill lacks, in words, for ``drillbot check``."""
    if drill.version == 2:
        return []
    return [
        f"drill {drill.id}: format v1 loaded with defaults (rubric points read as senior, weight 1;"
        " follow-ups without probes; no facts, red flags or strong answer). To upgrade, see"
        " drills/README.md: give each rubric point a level, each follow-up a probe, and add"
        " red_flags and strong_answer."
    ]
