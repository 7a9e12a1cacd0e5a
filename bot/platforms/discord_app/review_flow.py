"""The Review button's flow: an ephemeral form (rubric points, then the read, then Save or Add a
note) whose state lives in its custom_ids (``review_components``); the core checks the place,
the author and the round on every step, and saves with ``reviews.submit_review``."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

import discord

from bot.core import values
from bot.core.cards import Reply, refuse
from bot.core.model import Place
from bot.core.services import reviews
from bot.core.services.reviews import ReviewForm
from bot.platforms.discord_app.components import modal_value
from bot.platforms.discord_app.events import DiscordServices, Handler
from bot.platforms.discord_app.failures import TRANSPORT_ERRORS
from bot.platforms.discord_app.outbound import Outgoing, Where
from bot.platforms.discord_app.refs import interaction_actor, place_of
from bot.platforms.discord_app.replies import FAILED, dm_only, respond, show, within_deadline
from bot.platforms.discord_app.review_components import (
    NOTE_EVENT,
    NOTE_INPUT,
    NOTE_INPUT_CHARS,
    NOTE_MODAL_ID,
    POINTS_EVENT,
    PREFIX,
    READ_EVENT,
    READS,
    REVIEW_EVENT,
    REVIEW_ITEMS,
    SAVE_EVENT,
    NoteModal,
    Ticks,
)
from bot.platforms.discord_app.review_form import form_message

log = logging.getLogger(__name__)
REVIEW_BUSY = reviews.COULD_NOT_SAVE
POINT = re.compile(r"[1-6]")
MAX_POINTS = 6
TEMPLATES = tuple(item.__discord_ui_compiled_template__ for item in REVIEW_ITEMS)
ANSWERABLE = (discord.InteractionType.component, discord.InteractionType.modal_submit)
BAD_CHOICE = "That choice is not on the review form; click Review under the answer again."
STALE = "That review form is out of date or not Drillbot's; click Review under the answer again."


class ReviewFlow:
    def __init__(self, services: DiscordServices) -> None:
        self.services = services

    def table(self) -> dict[str, Handler]:
        return {
            f"on_{REVIEW_EVENT}": self.on_review,
            f"on_{POINTS_EVENT}": self.on_points,
            f"on_{READ_EVENT}": self.on_read,
            f"on_{SAVE_EVENT}": self.on_save,
            f"on_{NOTE_EVENT}": self.on_note,
        }

    async def on_review(self, interaction: discord.Interaction, answer_id: int) -> None:
        """The Review button: the form, in a new ephemeral message."""
        await self._form(interaction, answer_id, None, edit=False)

    async def on_points(
        self, interaction: discord.Interaction, answer_id: int, ticks: Ticks, chosen: list[str]
    ) -> None:
        points = _points_of(chosen)
        if points is None:
            await show(interaction, refuse(BAD_CHOICE), self._where(interaction))
            return
        await self._form(interaction, answer_id, Ticks(points, ticks.read), edit=True)

    async def on_read(
        self, interaction: discord.Interaction, answer_id: int, ticks: Ticks, chosen: list[str]
    ) -> None:
        if len(chosen) != 1 or chosen[0] not in READS:
            await show(interaction, refuse(BAD_CHOICE), self._where(interaction))
            return
        await self._form(interaction, answer_id, Ticks(ticks.points, chosen[0]), edit=True)

    async def on_save(self, interaction: discord.Interaction, answer_id: int, ticks: Ticks) -> None:
        await self._save(interaction, answer_id, ticks, "")

    async def on_note(self, interaction: discord.Interaction, answer_id: int, ticks: Ticks) -> None:
        """Open the note modal at once (a modal must be the first response: no database call)."""
        if not await self._checked(interaction, answer_id):
            return
        modal = NoteModal(answer_id, ticks)
        try:
            await interaction.response.send_modal(modal)
        except (discord.HTTPException, *TRANSPORT_ERRORS) as error:
            log.warning("could not open the note modal for %d: %s", interaction.id, error)
        finally:
            modal.stop()  # the submit is handled from its custom_id, even after a restart

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Note modal submits (no modal object waits for them), and review custom_ids that match
        no template (forged or from an older version), which discord.py would drop in silence."""
        data: Mapping[str, Any] = interaction.data or {}
        custom_id = str(data.get("custom_id", ""))
        if not custom_id.startswith(PREFIX) or not _answerable(interaction):
            return
        is_modal = interaction.type is discord.InteractionType.modal_submit
        found = NOTE_MODAL_ID.fullmatch(custom_id) if is_modal else None
        if found:
            ticks = Ticks.parse(found["points"], found["read"])
            await self._save(interaction, int(found["answer_id"]), ticks, _note(data))
        elif is_modal or not any(template.fullmatch(custom_id) for template in TEMPLATES):
            await show(interaction, refuse(STALE), self._where(interaction))

    async def _form(
        self, interaction: discord.Interaction, answer_id: int, ticks: Ticks | None, edit: bool
    ) -> None:
        """The form with ``ticks`` (None: the member's current review), or the core's refusal."""
        if not await self._checked(interaction, answer_id):
            return
        found = await self._load(interaction, answer_id)
        if not isinstance(found, Reply) and ticks is not None and _beyond(ticks, found):
            found = refuse(BAD_CHOICE)
        if isinstance(found, Reply):
            await show(interaction, found, self._where(interaction))
            return
        await present(interaction, form_message(found, ticks or _current(found)), edit)

    async def _load(self, interaction: discord.Interaction, answer_id: int) -> ReviewForm | Reply:
        actor, now = interaction_actor(interaction), self.services.clock()
        work = reviews.review_form(self.services.core, actor, _place(interaction), answer_id, now)
        try:
            return await within_deadline(interaction, work, self.services.defer_after, False)
        except Exception:
            log.exception("review form for interaction %d failed", interaction.id)
            return refuse(FAILED)

    async def _save(
        self, interaction: discord.Interaction, answer_id: int, ticks: Ticks, note: str
    ) -> None:
        if not await self._checked(interaction, answer_id) or ticks.read is None:
            return
        actor, now = interaction_actor(interaction), self.services.clock()
        given = (ticks.points_token, ticks.read, note)
        work = reviews.submit_review(
            self.services.core, actor, _place(interaction), answer_id, given, now
        )
        where, defer_after = self._where(interaction), self.services.defer_after
        await respond(interaction, work, where, defer_after, busy=REVIEW_BUSY)

    async def _checked(self, interaction: discord.Interaction, answer_id: int) -> bool:
        """In a server, with an answer id (anyone can forge one) in range like a member's input."""
        if interaction.guild_id is None:
            await dm_only(interaction)
            return False
        try:
            values.parse_answer_number(str(answer_id))
        except ValueError as error:
            await show(interaction, refuse(str(error)), self._where(interaction))
            return False
        return True

    def _where(self, interaction: discord.Interaction) -> Where:
        return Where(interaction.guild_id or 0, None, self.services.platform.reads_content)


async def present(interaction: discord.Interaction, message: Outgoing, edit: bool) -> None:
    """An ephemeral form: the clicked form edited in place, else a new ephemeral message."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(**message.kwargs(), ephemeral=True)
        elif edit:
            await interaction.response.edit_message(**message.kwargs())
        else:
            await interaction.response.send_message(**message.kwargs(), ephemeral=True)
    except (discord.HTTPException, *TRANSPORT_ERRORS) as error:
        log.warning("could not show the review form for %d: %s", interaction.id, error)
    finally:
        message.sent()


def _place(interaction: discord.Interaction) -> Place:
    """Exactly as the Vote button builds it: the core refuses an answer of another channel."""
    return place_of(interaction.channel, interaction.channel_id or 0, interaction.guild_id or 0)


def _current(form: ReviewForm) -> Ticks:
    """The member's review so far, as the form's starting choice."""
    if form.current is None:
        return Ticks()
    points = frozenset(n for n in form.current.points if 1 <= n <= len(form.points))
    return Ticks(points, form.current.read.value.replace(" ", "-"))


def _points_of(chosen: list[str]) -> frozenset[int] | None:
    """Select values as point numbers: each a digit 1 to 6, at most six; None if not."""
    if len(chosen) > MAX_POINTS or not all(POINT.fullmatch(value) for value in chosen):
        return None
    return frozenset(int(value) for value in chosen)


def _beyond(ticks: Ticks, form: ReviewForm) -> bool:
    """A point the rubric does not have (a 4-point rubric has no point 6)."""
    return max(ticks.points, default=0) > len(form.points)


def _note(data: Mapping[str, Any]) -> str:
    return modal_value(data, NOTE_INPUT)[:NOTE_INPUT_CHARS]


def _answerable(interaction: discord.Interaction) -> bool:
    return interaction.type in ANSWERABLE
