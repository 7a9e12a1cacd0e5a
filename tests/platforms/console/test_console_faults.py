"""The console with a database another process has write-locked: a clear line, and on it goes."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

from bot.core.services.context import Core
from bot.platforms.console.runner import run_console
from bot.storage.engine import open_database
from bot.storage.migrate import upgrade

START = "2026-11-23T08:00:00+00:00"


class LockingInput(io.StringIO):
    """Script lines; before handing out line ``lock_at`` another process takes the write lock."""

    def __init__(self, text: str, path: Path, lock_at: int) -> None:
        super().__init__(text)
        self.path, self.lock_at, self.read = path, lock_at, 0
        self.blocker: sqlite3.Connection | None = None

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        self.read += 1
        if self.read == self.lock_at:
            self.blocker = sqlite3.connect(self.path, timeout=0)
            self.blocker.execute("BEGIN IMMEDIATE")
        return super().readline(-1 if size is None else size)


async def test_a_locked_database_gets_a_clear_line_and_the_console_goes_on(tmp_path, bank):
    from datetime import datetime

    path = tmp_path / "locked.db"
    db = open_database(f"sqlite:///{path}")
    await upgrade(db)
    core = Core(db=db, bank=bank)
    await db.run(lambda uow: uow.connection.exec_driver_sql("PRAGMA busy_timeout=300"))
    source = LockingInput("alice: /help\nalice: /streak\nbob: /leaderboard\n", path, 2)
    out = io.StringIO()
    try:
        await run_console(core, datetime.fromisoformat(START), source, out)
    finally:
        if source.blocker is not None:
            source.blocker.close()
        await db.dispose()
    lines = out.getvalue().splitlines()
    refusals = [line for line in lines if "please try again in a minute" in line]
    assert len(refusals) == 2, lines
    assert "Couldn't read your streak" in refusals[0]
    assert "Traceback" not in out.getvalue()
