"""Run the console channel over a text stream: interactive, or a script replayed unattended."""

from __future__ import annotations

import asyncio
import logging
import sys
from datetime import datetime
from pathlib import Path
from typing import TextIO

from sqlalchemy.exc import DBAPIError

from bot.core.model import Place
from bot.core.services import admin
from bot.core.services.context import Core
from bot.platforms.console.platform import CHANNEL, PLATFORM, SPACE, ConsolePlatform
from bot.platforms.console.session import HELP, ConsoleSession

log = logging.getLogger(__name__)
WELCOME = "Drillbot console channel #drills. Type 'alice: /help' for commands; input grammar:\n"


async def ensure_console_channel(core: Core, now: datetime) -> None:
    """The console's one channel is a drill channel from the start, with default settings."""
    await admin.register_channel(core, Place(PLATFORM, SPACE, CHANNEL), now)


async def run_console(
    core: Core, start: datetime, source: TextIO, out: TextIO, transcript: Path | None = None
) -> None:
    """Read ``source`` to its end; each line is handled in order against the simulated clock."""
    await ensure_console_channel(core, start)
    numbered = await core.db.run(lambda uow: uow.answers.highest_numbered_ref("m"))
    platform = ConsolePlatform(out, lambda: session.now, transcript, first_message=numbered + 1)
    session = ConsoleSession(core, platform, start)
    interactive = source.isatty()
    if interactive:
        session.platform.say("(console)", WELCOME + HELP)
    while line := await _read_line(source, interactive):
        if not interactive and line.strip() and not line.lstrip().startswith("#"):
            out.write(f"> {line.rstrip()}\n")
        await _handle_safely(session, line)


async def _read_line(source: TextIO, interactive: bool) -> str:
    if interactive:
        sys.stdout.write("> ")
        sys.stdout.flush()
        return await asyncio.to_thread(source.readline)
    return source.readline()


async def _handle_safely(session: ConsoleSession, line: str) -> None:
    """Member input never stops the console: failures become a message and the next line runs."""
    try:
        await session.handle_line(line)
    except DBAPIError as error:
        log.error("database error: %s", error.orig)
        session.platform.say(
            "(console)", "The database is unavailable or locked; nothing was changed. Try again."
        )
    except Exception:
        log.exception("console line failed: %r", line[:200])
        session.platform.say(
            "(console)", "Something went wrong with that line; nothing else was affected."
        )
