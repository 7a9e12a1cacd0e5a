"""The review modal: the rubric to tick, a read and a note, and the ticket that says which answer
(and which channel and workspace) a submission is about; both read back strictly.

A ticket is ``private_metadata``: Slack returns it as sent, but a listener still parses it as
hostile input (a fixed pattern of ASCII ids) and checks its workspace against the request's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.core.coach import NOTE_CHARS, Read
from bot.core.services.reviews import ReviewForm
from bot.core.text import clip
from bot.platforms.slack_app.blocks import Block, escape, section
from bot.platforms.slack_app.fields import MAX_ID_DIGITS, obj, text

View = dict[str, Any]
CALLBACK = "review"
POINTS_BLOCK, POINTS_INPUT = "points", "ticked"
READ_BLOCK, READ_INPUT = "read", "read"
NOTE_BLOCK, NOTE_INPUT = "note", "note"
MAX_OPTIONS = 10  # Slack's limit for checkboxes
MAX_OPTION_TEXT = 75  # Slack's limit for an option's text and description
READS = (("staff", Read.STAFF), ("senior", Read.SENIOR), ("not-yet", Read.NOT_YET))
_ID = r"[A-Z0-9]{1,32}"
_TS = r"[0-9]{1,12}\.[0-9]{1,8}"
_TICKET = re.compile(rf"([0-9]{{1,{MAX_ID_DIGITS}}}):({_ID}):({_ID}):({_TS})?")


@dataclass(frozen=True)
class Ticket:
    """Which answer a review modal is about, and where its Review button was clicked."""

    answer_id: int
    channel: str
    team: str
    thread_ts: str | None = None

    def encode(self) -> str:
        ts = self.thread_ts if self.thread_ts and re.fullmatch(_TS, self.thread_ts) else ""
        return f"{self.answer_id}:{self.channel}:{self.team}:{ts}"


def parse_ticket(value: Any) -> Ticket | None:
    """A ticket written by ``Ticket.encode``, or None for anything else."""
    found = _TICKET.fullmatch(text(value))
    if found is None or int(found.group(1)) <= 0:
        return None
    answer, channel, team, ts = found.groups()
    return Ticket(int(answer), channel, team, ts or None)


def _plain(value: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": value, "emoji": True}


def _option(n: int, level: str, point: str) -> dict[str, Any]:
    """Point n; its full text is in the section above (an option holds 75 characters)."""
    return {
        "text": _plain(clip(f"{n}. {point}", MAX_OPTION_TEXT)),
        "description": _plain(clip(f"{level} point", MAX_OPTION_TEXT)),
        "value": str(n),
    }


def _word(read: Read) -> str:
    return next(word for word, known in READS if known is read)


def _read_option(value: str, read: Read) -> dict[str, Any]:
    return {"text": _plain(read.value.capitalize()), "value": value}


def _input(block_id: str, label: str, element: Block, optional: bool = False) -> Block:
    block = {"type": "input", "block_id": block_id, "label": _plain(label), "element": element}
    return {**block, "optional": optional}


def review_modal(form: ReviewForm, ticket: Ticket) -> View:
    """The rubric as a modal; submitting it saves the member's review of ``ticket``'s answer."""
    blocks = [section(_rubric_text(form)), _points(form), _read(form), _note(form)]
    return {
        "type": "modal",
        "callback_id": CALLBACK,
        "private_metadata": ticket.encode(),
        "title": _plain(clip(f"Review answer {form.number}", 24)),
        "submit": _plain("Save review"),
        "close": _plain("Cancel"),
        "blocks": blocks,
    }


def _rubric_text(form: ReviewForm) -> str:
    head = f"*Answer {form.number}.* Tick the rubric points it covers:"
    if form.self_review:
        head = "*Your own answer.* Tick the rubric points it covers (a self-review):"
    lines = [f"{n}. [{escape(level)}] {escape(point)}" for n, (level, point) in _numbered(form)]
    return "\n".join([head, *lines])


def _numbered(form: ReviewForm) -> list[tuple[int, tuple[str, str]]]:
    return list(enumerate(form.points[:MAX_OPTIONS], start=1))


def _points(form: ReviewForm) -> Block:
    options = [_option(n, level, point) for n, (level, point) in _numbered(form)]
    element: Block = {"type": "checkboxes", "action_id": POINTS_INPUT, "options": options}
    ticked = form.current.points if form.current else frozenset()
    initial = [option for option in options if int(option["value"]) in ticked]
    if initial:
        element["initial_options"] = initial
    return _input(POINTS_BLOCK, "Points the answer covers", element, optional=True)


def _read(form: ReviewForm) -> Block:
    options = [_read_option(value, read) for value, read in READS]
    element: Block = {"type": "radio_buttons", "action_id": READ_INPUT, "options": options}
    if form.current is not None:
        element["initial_option"] = _read_option(_word(form.current.read), form.current.read)
    return _input(READ_BLOCK, "Your read of the answer", element)


def _note(form: ReviewForm) -> Block:
    element: Block = {"type": "plain_text_input", "action_id": NOTE_INPUT}
    element["max_length"] = NOTE_CHARS
    if form.current and form.current.note:
        element["initial_value"] = clip(form.current.note, NOTE_CHARS)
    return _input(NOTE_BLOCK, "A one-line note (optional)", element, optional=True)


Ticks = tuple[str, str, str]


def submitted(view: dict[str, Any]) -> Ticks | dict[str, str]:
    """(points like "1,3", read word, note) from the modal's state, or errors by block."""
    values = obj(obj(view.get("state")).get("values"))
    points = _ticked(obj(obj(values.get(POINTS_BLOCK)).get(POINTS_INPUT)))
    read = _chosen(obj(obj(values.get(READ_BLOCK)).get(READ_INPUT)))
    note = text(obj(obj(values.get(NOTE_BLOCK)).get(NOTE_INPUT)).get("value"))
    errors = {}
    if points is None:
        errors[POINTS_BLOCK] = "Tick points from the rubric above."
    if read is None:
        errors[READ_BLOCK] = "Choose a read: staff, senior or not yet."
    if errors or points is None or read is None:
        return errors
    return points, read, note[: NOTE_CHARS * 4]


def _ticked(field: dict[str, Any]) -> str | None:
    """The ticked points as "1,3" ("" for none), or None if any is not a point number."""
    chosen = field.get("selected_options", [])
    if not isinstance(chosen, list) or len(chosen) > MAX_OPTIONS:
        return None
    values = {text(obj(option).get("value")) for option in chosen}
    if not all(v.isascii() and v.isdigit() and 1 <= len(v) <= 2 for v in values):
        return None
    numbers = sorted({int(v) for v in values})
    if numbers and not 1 <= numbers[0] <= numbers[-1] <= MAX_OPTIONS:
        return None
    return ",".join(str(n) for n in numbers)


def _chosen(field: dict[str, Any]) -> str | None:
    value = text(obj(field.get("selected_option")).get("value"))
    return value if value in dict(READS) else None
