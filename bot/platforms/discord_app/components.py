"""Buttons and the answer modal. Each click or submit becomes a Drillbot event on the client
(``on_drillbot_vote``, ``on_drillbot_answer_button``, ``on_drillbot_answer``) handled in ``buttons``;
the Review button and its form are in ``review_components``.

The buttons are ``DynamicItem``s: discord.py rebuilds them from their custom_id, so buttons posted
before a restart keep working once ``add_dynamic_items`` has registered the templates.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import discord

from bot.core.text import clip
from bot.platforms.discord_app.review_components import REVIEW_ITEMS

VOTE_EVENT = "drillbot_vote"
ANSWER_BUTTON_EVENT = "drillbot_answer_button"
ANSWER_EVENT = "drillbot_answer"
MODAL_TITLE_CHARS = 45
ANSWER_INPUT_CHARS = 4000  # Discord's limit for one text input

Button = discord.ui.Button[discord.ui.View]


class VoteButton(
    discord.ui.DynamicItem[Button], template=r"drillbot:vote:(?P<answer_id>[0-9]{1,18})"
):
    def __init__(self, answer_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=f"Vote for #{answer_id}",
                style=discord.ButtonStyle.primary,
                custom_id=f"drillbot:vote:{answer_id}",
            )
        )
        self.answer_id = answer_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> VoteButton:
        return cls(int(match["answer_id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        interaction.client.dispatch(VOTE_EVENT, interaction, self.answer_id)


class AnswerButton(
    discord.ui.DynamicItem[Button], template=r"drillbot:answer:(?P<round_id>[0-9]{1,18})"
):
    def __init__(self, round_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Answer",
                style=discord.ButtonStyle.success,
                custom_id=f"drillbot:answer:{round_id}",
            )
        )
        self.round_id = round_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> AnswerButton:
        return cls(int(match["round_id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        interaction.client.dispatch(ANSWER_BUTTON_EVENT, interaction, self.round_id)


class AnswerModal(discord.ui.Modal):
    """One text box; its custom_id is unique per opening so two members never share a modal."""

    def __init__(self, round_id: int, drill_title: str, opening: int, timeout: float) -> None:
        super().__init__(
            title=clip(f"Answer: {drill_title}", MODAL_TITLE_CHARS),
            custom_id=f"drillbot:answer-modal:{round_id}:{opening}",
            timeout=timeout,
        )
        self.round_id = round_id
        self.answer: discord.ui.TextInput[AnswerModal] = discord.ui.TextInput(
            label="Your answer",
            style=discord.TextStyle.paragraph,
            custom_id="answer",
            max_length=ANSWER_INPUT_CHARS,
        )
        self.add_item(self.answer)
        self.timed_out = False  # discord.py has dropped it: a late submit is handled as orphan

    async def on_timeout(self) -> None:
        self.timed_out = True

    async def on_submit(self, interaction: discord.Interaction) -> None:
        interaction.client.dispatch(ANSWER_EVENT, interaction, self.round_id, self.answer.value)


def buttons(*items: discord.ui.Item[Any]) -> discord.ui.View:
    """A view of dynamic items only: nothing is stored per message and it never times out."""
    view = discord.ui.View(timeout=None)
    for item in items:
        view.add_item(item)
    return view


def modal_value(data: Mapping[str, Any], custom_id: str) -> str:
    """A text input's value in a modal submission (rows or labels, however nested)."""
    stack = list(data.get("components") or [])
    while stack:
        component = stack.pop()
        if component.get("custom_id") == custom_id and "value" in component:
            return str(component["value"])
        stack += component.get("components") or []
        stack += [component["component"]] if isinstance(component.get("component"), dict) else []
    return ""


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    VoteButton,
    AnswerButton,
    *REVIEW_ITEMS,
)
