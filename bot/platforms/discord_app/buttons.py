"""Button clicks and modal submits into use cases: Vote toggles a vote, Answer opens the answer
modal, and its submission answers the round (``message_ref`` ``modal:<interaction id>``);
Review opens the review form (``review_flow``)."""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

import discord

from bot.core import values
from bot.core.cards import Reply, refuse
from bot.core.services import answers, votes
from bot.platforms.discord_app.components import (
    ANSWER_BUTTON_EVENT,
    ANSWER_EVENT,
    VOTE_EVENT,
    AnswerModal,
    modal_value,
)
from bot.platforms.discord_app.events import DiscordServices, Handler
from bot.platforms.discord_app.inbound import offer_votes
from bot.platforms.discord_app.outbound import Where
from bot.platforms.discord_app.refs import interaction_actor, modal_ref, place_of
from bot.platforms.discord_app.replies import (
    ANSWER_BUSY,
    VOTE_BUSY,
    dm_only,
    receipt_reply,
    respond,
    show,
)
from bot.platforms.discord_app.review_flow import ReviewFlow

DEFAULT_TITLE = "today's drill"
REMEMBERED_MODALS = 1_000
MODAL_ID = re.compile(r"drillbot:answer-modal:(?P<round_id>[0-9]{1,18}):[0-9]{1,20}")


class ComponentEvents:
    def __init__(self, services: DiscordServices) -> None:
        self.services = services
        self._modals: OrderedDict[str, AnswerModal] = OrderedDict()  # opened, by custom_id
        self.reviews = ReviewFlow(services)

    def table(self) -> dict[str, Handler]:
        return {
            f"on_{VOTE_EVENT}": self.on_vote,
            f"on_{ANSWER_BUTTON_EVENT}": self.on_answer_button,
            f"on_{ANSWER_EVENT}": self.on_answer,
            "on_interaction": self.on_interaction,
            **self.reviews.table(),
        }

    async def on_vote(self, interaction: discord.Interaction, answer_id: int) -> None:
        if interaction.guild_id is None:
            await dm_only(interaction)
            return
        if not await self._in_range(interaction, answer_id, values.parse_answer_number):
            return
        place = place_of(interaction.channel, interaction.channel_id or 0, interaction.guild_id)
        actor, now = interaction_actor(interaction), self.services.clock()
        work = votes.toggle_vote(
            self.services.core, actor, place, answer_id, now, str(interaction.id)
        )
        where = self._where(interaction)
        await respond(interaction, work, where, self.services.defer_after, busy=VOTE_BUSY)

    async def on_answer_button(self, interaction: discord.Interaction, round_id: int) -> None:
        """Open the modal at once (a modal must be the first response; no database call first)."""
        if not await self._in_range(interaction, round_id, values.parse_round_number):
            return
        modal = AnswerModal(
            round_id, _drill_title(interaction.message), interaction.id, self.services.modal_timeout
        )
        self._remember(modal)
        await interaction.response.send_modal(modal)

    async def on_answer(self, interaction: discord.Interaction, round_id: int, text: str) -> None:
        if interaction.guild_id is None:
            await dm_only(interaction)
            return
        if not await self._in_range(interaction, round_id, values.parse_round_number):
            return
        receipt = None

        async def work() -> Reply:
            nonlocal receipt
            receipt = await answers.submit_answer(
                self.services.core,
                interaction_actor(interaction),
                round_id,
                modal_ref(interaction.id),
                text,
                self.services.clock(),
            )
            return receipt_reply(receipt)

        where = self._where(interaction)
        await respond(interaction, work(), where, self.services.defer_after, busy=ANSWER_BUSY)
        await offer_votes(self.services, receipt)

    async def _in_range(
        self, interaction: discord.Interaction, number: int, parse: Callable[[str], int]
    ) -> bool:
        """A number from a custom_id (anyone can forge one) checked like a member's input."""
        try:
            parse(str(number))
        except ValueError as error:
            await show(interaction, refuse(str(error)), self._where(interaction))
            return False
        return True

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """An Answer modal opened before a restart (or left open past its timeout) reaches no
        modal object, which discord.py drops in silence: its answer is recorded here instead.
        Review form submits and stale review custom_ids are ``ReviewFlow``'s."""
        await self.reviews.on_interaction(interaction)
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data: Mapping[str, Any] = interaction.data or {}
        found = MODAL_ID.fullmatch(str(data.get("custom_id", "")))
        modal = self._modals.get(found[0]) if found else None
        if found is None or (modal is not None and not modal.timed_out):
            return
        await self.on_answer(interaction, int(found["round_id"]), modal_value(data, "answer"))

    def _remember(self, modal: AnswerModal) -> None:
        self._modals[modal.custom_id] = modal
        while len(self._modals) > REMEMBERED_MODALS:
            self._modals.popitem(last=False)

    def close_modals(self) -> None:
        """Stop open modals (and their timeout tasks) when the runtime stops."""
        for modal in list(self._modals.values()):
            modal.stop()
        self._modals.clear()

    def _where(self, interaction: discord.Interaction) -> Where:
        return Where(interaction.guild_id or 0, None, self.services.platform.reads_content)


def _drill_title(message: discord.Message | None) -> str:
    embeds = message.embeds if message is not None else []
    return (embeds[0].title if embeds and embeds[0].title else None) or DEFAULT_TITLE
