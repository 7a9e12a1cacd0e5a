"""The core's ``ReviewForm`` as an ephemeral Discord message: the rubric numbered with each
point's level, a multi-select of the points, a select of the read, and (once a read is chosen)
Save and Add a note. Rubric text comes from the drill bank; the member's note is shown plain."""

from __future__ import annotations

from typing import Any

import discord

from bot.core.services.reviews import ReviewForm
from bot.core.text import clip, defang_mentions
from bot.platforms.discord_app.components import buttons
from bot.platforms.discord_app.escape import plain
from bot.platforms.discord_app.outbound import CONTENT_CHARS, Outgoing
from bot.platforms.discord_app.review_components import (
    NoteButton,
    PointsSelect,
    ReadSelect,
    SaveButton,
    Ticks,
)

OPTION_CHARS = 100  # Discord's limit for a select option's label and description


def form_message(form: ReviewForm, ticks: Ticks) -> Outgoing:
    items: list[discord.ui.Item[Any]] = [
        PointsSelect(form.answer_id, ticks, point_options(form, ticks)),
        ReadSelect(form.answer_id, ticks),
    ]
    if ticks.read is not None:
        items += [SaveButton(form.answer_id, ticks), NoteButton(form.answer_id, ticks)]
    return Outgoing(content=clip(form_text(form, ticks), CONTENT_CHARS), view=buttons(*items))


def form_text(form: ReviewForm, ticks: Ticks) -> str:
    what = "your own answer (a self-review)" if form.self_review else f"answer #{form.number}"
    lines = [f"**Reviewing {what}.** Tick the rubric points it covers, then give your read."]
    lines += [
        f"{n}. [{level}] {defang_mentions(point)}"
        for n, (level, point) in enumerate(form.points, start=1)
    ]
    if form.current is not None:
        note = f"; note: {plain(form.current.note)}" if form.current.note else ""
        lines.append(f"Your review now: {_chosen(form.current.points, form.current.read)}{note}.")
    if ticks.read is not None:
        chosen = _chosen(ticks.points, ticks.read.replace("-", " "))
        lines.append(f"Ready to save: {chosen}. Save, or add a one-line note first.")
    return "\n".join(lines)


def point_options(form: ReviewForm, ticks: Ticks) -> list[discord.SelectOption]:
    return [
        discord.SelectOption(
            label=clip(f"{n}. {point}", OPTION_CHARS),
            value=str(n),
            description=clip(f"{level}-level point", OPTION_CHARS),
            default=n in ticks.points,
        )
        for n, (level, point) in enumerate(form.points, start=1)
    ]


def _chosen(points: frozenset[int], read: str) -> str:
    numbers = ", ".join(str(n) for n in sorted(points)) or "none"
    return f"points {numbers}; read {read}"
