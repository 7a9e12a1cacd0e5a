"""Console output: cards printed as a transcript; posts get message ids like m3, drills a thread.

With a transcript file, every delivered post is also written there with its idempotency key; a
restarted console reads it back and does not show a post twice (Discord does the same with a
message nonce), so a console killed between showing a post and recording it resumes cleanly.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TextIO

from bot.core.cards import Card, DrillCard, FileCard
from bot.core.ports import Posted
from bot.core.render import render_text
from bot.paths import FILES_DIR

PLATFORM = "console"
SPACE = "local"
CHANNEL = "drills"
BOT_NAME = "Drillbot"


class ConsolePlatform:
    name = PLATFORM

    def __init__(
        self,
        out: TextIO,
        clock: Callable[[], datetime],
        transcript: Path | None = None,
        first_message: int = 1,
        files_dir: Path = FILES_DIR,
    ) -> None:
        self._out = out
        self.files_dir = files_dir
        self._clock = clock
        self._transcript = transcript
        self.delivered = _read_transcript(transcript)
        self.suppressed = 0  # posts asked for again after a restart, and not shown twice
        self._messages = itertools.count(max(first_message, _last_number(self.delivered) + 1))

    def new_message_ref(self) -> str:
        return f"m{next(self._messages)}"

    async def deliver(
        self, channel_ref: str, thread_ref: str | None, card: Card, idempotency_key: str
    ) -> Posted:
        if idempotency_key in self.delivered:
            self.suppressed += 1
            return self.delivered[idempotency_key]
        message_ref = self.new_message_ref()
        opens_thread = isinstance(card, DrillCard) and thread_ref is None
        new_thread = f"t{card.round_id}" if opens_thread and isinstance(card, DrillCard) else None
        where = f"#{channel_ref}" if thread_ref is None else f"thread {thread_ref}"
        self.say(f"{where} {BOT_NAME} ({message_ref})", self.text_of(card))
        if new_thread:
            self.say(f"#{channel_ref}", f"{BOT_NAME} opened thread {new_thread} for answers.")
        posted = Posted(message_ref, new_thread)
        self._remember(idempotency_key, posted)
        return posted

    def text_of(self, card: Card) -> str:
        """The card as the transcript shows it; a file is written under ``files_dir`` first."""
        if not isinstance(card, FileCard):
            return render_text(card)
        self.files_dir.mkdir(parents=True, exist_ok=True)
        path = self.files_dir / card.filename
        path.write_bytes(card.data)
        return f"{card.summary_text}\nFile: {path}\nDescription: {card.alt_text}"

    def say(self, where: str, text: str) -> None:
        stamp = self._clock().strftime("%a %Y-%m-%d %H:%M UTC")
        lines = text.splitlines() or [""]
        self._out.write(f"[{stamp}] {where}: {lines[0]}\n")
        for line in lines[1:]:
            self._out.write(f"    {line}\n" if line else "\n")
        self._out.flush()

    def _remember(self, key: str, posted: Posted) -> None:
        self.delivered[key] = posted
        if self._transcript is not None:
            entry = {"key": key, "message": posted.message_ref, "thread": posted.thread_ref}
            with self._transcript.open("a", encoding="utf-8") as file:
                file.write(json.dumps(entry) + "\n")


def _read_transcript(path: Path | None) -> dict[str, Posted]:
    if path is None or not path.exists():
        return {}
    delivered = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut short by a crash: that post was not delivered
        delivered[entry["key"]] = Posted(entry["message"], entry["thread"])
    return delivered


def _last_number(delivered: dict[str, Posted]) -> int:
    numbers = [int(p.message_ref[1:]) for p in delivered.values() if p.message_ref[1:].isdigit()]
    return max(numbers, default=0)
