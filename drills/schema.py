"""One drill, validated. Limits keep every drill inside one Discord embed and one Slack section."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

SLUG = r"^[a-z0-9][a-z0-9-]{1,39}$"
DRILL_ID = r"^[a-z0-9][a-z0-9-]{2,63}$"

Tag = Annotated[str, StringConstraints(strip_whitespace=True, pattern=SLUG)]
RubricPoint = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=10, max_length=200)
]
FollowUp = Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=300)]


class Drill(BaseModel):
    """A practice prompt with what a strong answer covers and the questions that follow it."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    id: str = Field(pattern=DRILL_ID)
    kind: str = Field(pattern=SLUG)
    title: str = Field(min_length=5, max_length=100)
    difficulty: int = Field(ge=1, le=3)
    tags: tuple[Tag, ...] = Field(min_length=1, max_length=5)
    prompt: str = Field(min_length=40, max_length=1500)
    rubric: tuple[RubricPoint, ...] = Field(min_length=3, max_length=6)
    follow_ups: tuple[FollowUp, ...] = Field(min_length=1, max_length=3)
