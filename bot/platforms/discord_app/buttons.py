"""Button clicks and modal submits into use cases: Vote toggles a vote, Answer opens the answer
modal, and its submission answers the round (``message_ref`` ``modal:<interaction id>``)."""

from __future__ import annotations

import weakref

import discord

from bot.core.cards import Reply
from bot.core.services import answers, votes
from bot.platforms.discord_app.components import (
    ANSWER_BUTTON_EVENT,
    ANSWER_EVENT,
    VOTE_EVENT,
    AnswerModal,
)
from bot.platforms.discord_app.events import DiscordServices, Handler
from bot.platforms.discord_app.inbound import offer_votes
from bot.platforms.discord_app.outbound import Where
from bot.platforms.discord_app.refs import interaction_actor, modal_ref, place_of
from bot.platforms.discord_app.replies import dm_only, receipt_reply, respond

DEFAULT_TITLE = "today's drill"


class ComponentEvents:
    def __init__(self, services: DiscordServices) -> None:
        self.services = services
        self._modals: weakref.WeakSet[AnswerModal] = weakref.WeakSet()

    def table(self) -> dict[str, Handler]:
        return {
            f"on_{VOTE_EVENT}": self.on_vote,
            f"on_{ANSWER_BUTTON_EVENT}": self.on_answer_button,
            f"on_{ANSWER_EVENT}": self.on_answer,
        }

    async def on_vote(self, interaction: discord.Interaction, answer_id: int) -> None:
        if interaction.guild_id is None:
            await dm_only(interaction)
            return
        place = place_of(interaction.channel, interaction.channel_id or 0, interaction.guild_id)
        actor, now = interaction_actor(interaction), self.services.clock()
        work = votes.toggle_vote(
            self.services.core, actor, place, answer_id, now, str(interaction.id)
        )
        await respond(interaction, work, self._where(interaction), self.services.defer_after)

    async def on_answer_button(self, interaction: discord.Interaction, round_id: int) -> None:
        """Open the modal at once (a modal must be the first response; no database call first)."""
        modal = AnswerModal(
            round_id, _drill_title(interaction.message), interaction.id, self.services.modal_timeout
        )
        self._modals.add(modal)
        await interaction.response.send_modal(modal)

    async def on_answer(self, interaction: discord.Interaction, round_id: int, text: str) -> None:
        if interaction.guild_id is None:
            await dm_only(interaction)
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

        await respond(interaction, work(), self._where(interaction), self.services.defer_after)
        await offer_votes(self.services, receipt)

    def close_modals(self) -> None:
        """Stop open modals (and their timeout tasks) when the runtime stops."""
        for modal in list(self._modals):
            modal.stop()

    def _where(self, interaction: discord.Interaction) -> Where:
        return Where(interaction.guild_id or 0, None, self.services.platform.reads_content)


def _drill_title(message: discord.Message | None) -> str:
    embeds = message.embeds if message is not None else []
    return (embeds[0].title if embeds and embeds[0].title else None) or DEFAULT_TITLE
