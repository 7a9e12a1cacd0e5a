"""Run the console channel over a text stream: interactive, or a script replayed unattended."""

from __future__ import annotations

import logging
import sys
from datetime import datetime
from pathlib import Path
from typing import TextIO

from sqlalchemy.exc import DBAPIError

from bot.core.errors import StorageUnavailable
from bot.core.model import Place
from bot.core.services import admin
from bot.core.services.context import Core
from bot.core.text import clean_input
from bot.paths import FILES_DIR
from bot.platforms.console.platform import CHANNEL, PLATFORM, SPACE, ConsolePlatform
from bot.platforms.console.session import HELP, ConsoleSession
from bot.platforms.console.terminal import TerminalLines

log = logging.getLogger(__name__)
WELCOME = "Drillbot console channel #drills. Type 'alice: /help' for commands; input grammar:\n"


async def ensure_console_channel(core: Core, now: datetime) -> None:
    """The console's one channel is a drill channel from the start, with default settings."""
    await admin.register_channel(core, Place(PLATFORM, SPACE, CHANNEL), now)


async def run_console(
    core: Core,
    start: datetime,
    source: TextIO,
    out: TextIO,
    transcript: Path | None = None,
    files_dir: Path = FILES_DIR,
) -> None:
    """Read ``source`` to its end; each line is handled in order against the simulated clock."""
    await ensure_console_channel(core, start)
    numbered = await core.db.run(lambda uow: uow.answers.highest_numbered_ref("m"))
    platform = ConsolePlatform(
        out, lambda: session.now, transcript, first_message=numbered + 1, files_dir=files_dir
    )
    session = ConsoleSession(core, platform, start)
    interactive = source.isatty()
    terminal = TerminalLines(source.fileno()) if interactive else None
    if interactive:
        session.platform.say("(console)", WELCOME + HELP)
    while line := await _read_line(source, terminal):
        shown = clean_input(line).rstrip()
        if not interactive and shown.strip() and not shown.lstrip().startswith("#"):
            out.write(f"> {shown}\n")
        await _handle_safely(session, line)


async def _read_line(source: TextIO, terminal: TerminalLines | None) -> str:
    if terminal is not None:
        sys.stdout.write("> ")
        sys.stdout.flush()
        return await terminal.readline()
    return source.readline()


async def _handle_safely(session: ConsoleSession, line: str) -> None:
    """Member input never stops the console: failures become a message and the next line runs."""
    try:
        await session.handle_line(line)
    except (DBAPIError, StorageUnavailable) as error:
        log.error("database error: %s", getattr(error, "orig", error))
        session.platform.say(
            "(console)",
            "Couldn't do that: the database is locked or unavailable, so nothing was changed. "
            "Please try again in a minute.",
        )
    except Exception:
        log.exception("console line failed: %r", line[:200])
        session.platform.say(
            "(console)", "Something went wrong with that line; nothing else was affected."
        )
