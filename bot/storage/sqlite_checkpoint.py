"""SQLite's WAL checkpoints, moved off the members' path.

Left to itself, SQLite checkpoints inside the COMMIT that grows the WAL past 1,000 pages: that
member's action waits while the WAL is copied into the database file and both are flushed
(10-20 ms here, against a fraction of a millisecond for a commit). The writer's connection turns
that off. Instead a thread of its own copies the WAL into the database every so many units
(PASSIVE: the writer goes on meanwhile), and the writer, between units and after handing back
their answers, finishes a checkpoint itself only when the WAL has grown large: the background ones
have copied most of it by then, and once it is all copied the next write starts the WAL afresh.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from queue import SimpleQueue

from sqlalchemy import Connection, Engine

from bot.storage.repos.driver import sqlite_driver
from bot.storage.uow import reason

log = logging.getLogger(__name__)
CHECKPOINT_EVERY = 100  # units of work between background checkpoints
WAL_LIMIT_FRAMES = 4_000  # about 16 MB of WAL: beyond it the writer finishes a checkpoint itself
_PASSIVE = "PRAGMA wal_checkpoint(PASSIVE)"


class Checkpointer:
    """Made and driven by ``SqliteWriter``: ``writer_connected`` once per connection, then
    ``unit_done`` after each unit (or group) of work."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._units = 0
        self._wal_frames = 0  # the WAL's length when a checkpoint last looked
        self._busy = threading.Event()  # a background checkpoint is under way
        self._requests: SimpleQueue[bool] = SimpleQueue()
        self._thread = threading.Thread(target=self._serve, name="sqlite-checkpoint", daemon=True)
        self._thread.start()

    @staticmethod
    def writer_connected(connection: Connection) -> None:
        sqlite_driver(connection).execute("PRAGMA wal_autocheckpoint = 0")

    def unit_done(self, connection: Connection) -> None:
        """Now and then start a background checkpoint; finish one on ``connection`` (the
        writer's) when the WAL has grown past its limit."""
        if self._busy.is_set():
            return
        if self._wal_frames > WAL_LIMIT_FRAMES:
            try:
                self._checkpoint(sqlite_driver(connection))
            except Exception as error:
                log.warning("SQLite checkpoint failed: %s", reason(error))
            return
        self._units += 1
        if self._units >= CHECKPOINT_EVERY:
            self._units = 0
            self._busy.set()
            self._requests.put(True)

    def close(self) -> None:
        self._requests.put(False)
        self._thread.join()

    def _serve(self) -> None:
        connection: Connection | None = None
        while self._requests.get():
            try:
                connection = connection or self._engine.connect()
                self._checkpoint(sqlite_driver(connection))
            except Exception as error:  # the next one may succeed; the writer goes on regardless
                log.warning("SQLite checkpoint failed: %s", reason(error))
            finally:
                self._busy.clear()
        if connection is not None:
            connection.close()

    def _checkpoint(self, driver: sqlite3.Connection) -> None:
        busy, frames, _copied = driver.execute(_PASSIVE).fetchone()
        if not busy:
            self._wal_frames = frames
