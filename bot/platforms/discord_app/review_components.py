"""The Review button under a ballot and the ephemeral review form it opens (handled in
``review_flow``). The form is stateless: each step's custom_id carries the answer id and what the
member chose so far, so a form opened before a restart keeps working.

    drillbot:review:<answer id>                         the button under the ballot
    drillbot:review-points:<answer id>:<read>           the rubric points (multi-select)
    drillbot:review-read:<answer id>:<points>           the read (select)
    drillbot:review-save:<answer id>:<points>:<read>    Save
    drillbot:review-note:<answer id>:<points>:<read>    Add a note (opens the note modal)
    drillbot:review-modal:<answer id>:<points>:<read>   the note modal (handled by regex)

``<points>`` is ``none`` or a comma list of 1..6; ``<read>`` is staff, senior, not-yet or unset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import discord

REVIEW_EVENT = "drillbot_review"
POINTS_EVENT = "drillbot_review_points"
READ_EVENT = "drillbot_review_read"
SAVE_EVENT = "drillbot_review_save"
NOTE_EVENT = "drillbot_review_note"
PREFIX = "drillbot:review"
NOTE_INPUT = "note"
NOTE_INPUT_CHARS = 200  # the core keeps one line of at most 200 characters
READS = ("staff", "senior", "not-yet")
UNSET, NO_POINTS = "unset", "none"
_ID = r"(?P<answer_id>[0-9]{1,18})"
_POINTS = r"(?P<points>none|[1-6](?:,[1-6]){0,5})"
_READ = r"(?P<read>staff|senior|not-yet)"
_READ_OR_UNSET = r"(?P<read>staff|senior|not-yet|unset)"
NOTE_MODAL_ID = re.compile(rf"drillbot:review-modal:{_ID}:{_POINTS}:{_READ}")

Button = discord.ui.Button[discord.ui.View]
Select = discord.ui.Select[discord.ui.View]


@dataclass(frozen=True)
class Ticks:
    """What the member has chosen in the form so far."""

    points: frozenset[int] = frozenset()
    read: str | None = None  # one of READS

    @property
    def points_token(self) -> str:
        return ",".join(str(n) for n in sorted(self.points)) or NO_POINTS

    @property
    def read_token(self) -> str:
        return self.read or UNSET

    @classmethod
    def parse(cls, points: str, read: str) -> Ticks:
        """Tokens that already matched a template (so each is well formed)."""
        numbers = frozenset() if points == NO_POINTS else frozenset(map(int, points.split(",")))
        return cls(numbers, None if read == UNSET else read)


class ReviewButton(discord.ui.DynamicItem[Button], template=rf"drillbot:review:{_ID}"):
    def __init__(self, answer_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Review",
                style=discord.ButtonStyle.secondary,
                custom_id=f"drillbot:review:{answer_id}",
            )
        )
        self.answer_id = answer_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ReviewButton:
        return cls(int(match["answer_id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        interaction.client.dispatch(REVIEW_EVENT, interaction, self.answer_id)


class PointsSelect(
    discord.ui.DynamicItem[Select], template=rf"drillbot:review-points:{_ID}:{_READ_OR_UNSET}"
):
    def __init__(self, answer_id: int, ticks: Ticks, options: list[discord.SelectOption]) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id=f"drillbot:review-points:{answer_id}:{ticks.read_token}",
                placeholder="Rubric points the answer covers (none is fine)",
                min_values=0,
                max_values=max(len(options), 1),
                options=options,
                row=0,
            )
        )
        self.answer_id, self.ticks = answer_id, ticks

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> PointsSelect:
        return cls(int(match["answer_id"]), Ticks.parse(NO_POINTS, match["read"]), [])

    async def callback(self, interaction: discord.Interaction) -> None:
        values = list(self.item.values)
        interaction.client.dispatch(POINTS_EVENT, interaction, self.answer_id, self.ticks, values)


class ReadSelect(discord.ui.DynamicItem[Select], template=rf"drillbot:review-read:{_ID}:{_POINTS}"):
    def __init__(self, answer_id: int, ticks: Ticks) -> None:
        chosen = f"Your read: {ticks.read.replace('-', ' ')}" if ticks.read else None
        super().__init__(
            discord.ui.Select(
                custom_id=f"drillbot:review-read:{answer_id}:{ticks.points_token}",
                placeholder=chosen or "Your read: staff, senior or not yet",
                options=[
                    discord.SelectOption(label=r.capitalize().replace("-", " "), value=r)
                    for r in READS
                ],
                row=1,
            )
        )
        self.answer_id, self.ticks = answer_id, ticks

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ReadSelect:
        return cls(int(match["answer_id"]), Ticks.parse(match["points"], UNSET))

    async def callback(self, interaction: discord.Interaction) -> None:
        values = list(self.item.values)
        interaction.client.dispatch(READ_EVENT, interaction, self.answer_id, self.ticks, values)


class SaveButton(
    discord.ui.DynamicItem[Button], template=rf"drillbot:review-save:{_ID}:{_POINTS}:{_READ}"
):
    def __init__(self, answer_id: int, ticks: Ticks) -> None:
        super().__init__(
            discord.ui.Button(
                label="Save",
                style=discord.ButtonStyle.success,
                custom_id=f"drillbot:review-save:{answer_id}:{ticks.points_token}:{ticks.read}",
                row=2,
            )
        )
        self.answer_id, self.ticks = answer_id, ticks

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> SaveButton:
        return cls(int(match["answer_id"]), Ticks.parse(match["points"], match["read"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        interaction.client.dispatch(SAVE_EVENT, interaction, self.answer_id, self.ticks)


class NoteButton(
    discord.ui.DynamicItem[Button], template=rf"drillbot:review-note:{_ID}:{_POINTS}:{_READ}"
):
    def __init__(self, answer_id: int, ticks: Ticks) -> None:
        super().__init__(
            discord.ui.Button(
                label="Add a note",
                style=discord.ButtonStyle.secondary,
                custom_id=f"drillbot:review-note:{answer_id}:{ticks.points_token}:{ticks.read}",
                row=2,
            )
        )
        self.answer_id, self.ticks = answer_id, ticks

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> NoteButton:
        return cls(int(match["answer_id"]), Ticks.parse(match["points"], match["read"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        interaction.client.dispatch(NOTE_EVENT, interaction, self.answer_id, self.ticks)


class NoteModal(discord.ui.Modal):
    """One short line. It is stopped once shown: every submit is handled from its custom_id."""

    def __init__(self, answer_id: int, ticks: Ticks) -> None:
        super().__init__(
            title="A one-line note for the author",
            custom_id=f"drillbot:review-modal:{answer_id}:{ticks.points_token}:{ticks.read}",
        )
        self.add_item(
            discord.ui.TextInput(
                label="Note (optional, shown in the results)",
                style=discord.TextStyle.short,
                custom_id=NOTE_INPUT,
                max_length=NOTE_INPUT_CHARS,
                required=False,
            )
        )


REVIEW_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    ReviewButton,
    PointsSelect,
    ReadSelect,
    SaveButton,
    NoteButton,
)
