"""Console output: cards printed as a transcript; posts get message and thread ids like m3 and t2."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime
from typing import TextIO

from bot.core.cards import Card, DrillCard
from bot.core.ports import Posted
from bot.core.render import render_text

PLATFORM = "console"
SPACE = "local"
CHANNEL = "drills"
BOT_NAME = "Drillbot"


class ConsolePlatform:
    name = PLATFORM

    def __init__(self, out: TextIO, clock: Callable[[], datetime]) -> None:
        self._out = out
        self._clock = clock
        self._messages = itertools.count(1)
        self._threads = itertools.count(1)

    def new_message_ref(self) -> str:
        return f"m{next(self._messages)}"

    def new_thread_ref(self) -> str:
        return f"t{next(self._threads)}"

    async def deliver(
        self, channel_ref: str, thread_ref: str | None, card: Card, idempotency_key: str
    ) -> Posted:
        message_ref = self.new_message_ref()
        opens_thread = isinstance(card, DrillCard) and thread_ref is None
        new_thread = self.new_thread_ref() if opens_thread else None
        where = f"#{channel_ref}" if thread_ref is None else f"thread {thread_ref}"
        self.say(f"{where} {BOT_NAME} ({message_ref})", render_text(card))
        if new_thread:
            self.say(f"#{channel_ref}", f"{BOT_NAME} opened thread {new_thread} for answers.")
        return Posted(message_ref, new_thread)

    def say(self, where: str, text: str) -> None:
        stamp = self._clock().strftime("%a %Y-%m-%d %H:%M UTC")
        lines = text.splitlines() or [""]
        self._out.write(f"[{stamp}] {where}: {lines[0]}\n")
        for line in lines[1:]:
            self._out.write(f"    {line}\n" if line else "\n")
        self._out.flush()
