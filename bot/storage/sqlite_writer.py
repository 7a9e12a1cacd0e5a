"""SQLite's one writer: a thread that runs the process's units of work, with group commit.

SQLite lets one connection write at a time, so one thread keeps the process's writers in line.
Units that queue up while it is busy run together in one transaction, each inside a savepoint of
its own: a unit that raises, or does not commit, is rolled back alone. A unit's result is handed
back only once the shared COMMIT has succeeded (a claimed post is durable before it is sent), and
if that COMMIT fails every unit of the group fails with it. A unit alone in the queue runs in a
transaction of its own, with no savepoint.

Why: a commit and the hand-offs between threads cost as much as a short unit of work, so members
acting at once share them instead of each paying their own. The units an event loop sends in one
turn are queued together at the end of that turn, so the writer finds them all waiting instead of
waking for the first and then contending with the loop (for the GIL) while it sends the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from queue import Empty, SimpleQueue
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Engine

from bot.core.errors import StorageUnavailable
from bot.storage.repos.channels import MemberKey
from bot.storage.repos.driver import on_driver, sqlite_driver
from bot.storage.sqlite_checkpoint import Checkpointer
from bot.storage.uow import (
    BEGIN,
    UNIT_SAVEPOINT,
    UnitOfWork,
    in_transaction,
    roll_back_what_is_open,
)

T = TypeVar("T")
# A group's units wait for its COMMIT: enough to share the commit, few and quick enough that the
# first unit's member does not wait long for the last one's.
MAX_GROUP = 32
GROUP_SECONDS = 0.025  # a group stops taking units from the queue once it has run this long


@dataclass
class _Unit(Generic[T]):
    work: Callable[[UnitOfWork], T]
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[T]
    outcome: tuple[bool, Any] = field(default=(False, None))  # (failed, result or error)


class SqliteWriter:
    """Runs units of work on the writer thread; made once per process by ``open_database``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.known_members: dict[MemberKey, tuple[int, str]] = {}  # see ``MemberRepo``
        self._queue: SimpleQueue[_Unit[Any] | None] = SimpleQueue()
        self._kept: Connection | None = None
        self._closed = False
        self._pending: dict[asyncio.AbstractEventLoop, list[_Unit[Any]]] = {}
        self._stopping, self._stopped = threading.Lock(), False
        self._checkpoints = Checkpointer(engine)
        self._thread = threading.Thread(target=self._serve, name="sqlite-writer", daemon=True)
        self._thread.start()

    async def run(self, work: Callable[[UnitOfWork], T]) -> T:
        if self._closed:
            raise StorageUnavailable("the database is closed")
        loop = asyncio.get_running_loop()
        unit = _Unit(work, loop, loop.create_future())
        pending = self._pending.get(loop)
        if pending is None:
            pending = self._pending[loop] = []
            loop.call_soon(self._hand_over, loop)
        pending.append(unit)
        result: T = await unit.future
        return result

    def _hand_over(self, loop: asyncio.AbstractEventLoop) -> None:
        """Queue the units this loop sent in one turn together: the writer then finds them all
        waiting, rather than waking for the first while the loop still runs the others' code."""
        units = self._pending.pop(loop, [])  # [] when ``close`` handed them over already
        with self._stopping:
            if not self._stopped:
                for unit in units:
                    self._queue.put(unit)
                return
        _resolve(_refuse(units))  # on this loop already

    async def close(self) -> None:
        """Finish the queued units, close the connection (SQLite connections belong to the thread
        that opened them) and stop the thread."""
        self._closed = True
        loop = asyncio.get_running_loop()
        if loop in self._pending:  # units sent this turn go first
            self._hand_over(loop)
        self._queue.put(None)
        await loop.run_in_executor(None, self._thread.join)

    def _serve(self) -> None:
        while (first := self._queue.get()) is not None:
            try:
                ran = self._run(first)
            except BaseException as error:  # no connection to run it on: the thread goes on
                first.outcome = (True, error)
                ran = [first]
            _settle(ran)
            if self._kept is not None:
                self._checkpoints.unit_done(self._kept)
        try:
            self._close_connection()
            self._checkpoints.close()
        finally:
            self._refuse_the_rest()

    def _run(self, first: _Unit[Any]) -> list[_Unit[Any]]:
        """Run ``first``, alone or with the units queued behind it; the units that ran."""
        if not self._queue.empty():
            return self._run_together(first)
        self._run_alone(first)
        return [first]

    def _run_alone(self, unit: _Unit[Any]) -> None:
        connection = self._connection()
        try:
            value = in_transaction(connection, unit.work, self.known_members, BEGIN)
        except Exception as error:
            unit.outcome = (True, error)
        else:
            unit.outcome = (False, value)

    def _run_together(self, first: _Unit[Any]) -> list[_Unit[Any]]:
        """Run ``first`` and the units queued behind it in one transaction; the units that ran."""
        group, connection = [first], self._connection()
        try:
            connection.begin()
            try:
                on_driver(connection, BEGIN, {})
                kept = self._fill(connection, group)
                connection.commit()
            finally:
                roll_back_what_is_open(connection)
        except BaseException as error:  # BEGIN or the COMMIT failed: so did every unit
            for unit in group:
                unit.outcome = (True, error)
            return group
        for uow in kept:
            uow.members.committed(uow.members_at_commit)
        return group

    def _fill(self, connection: Connection, group: list[_Unit[Any]]) -> list[UnitOfWork]:
        """Run the group's units, each in its savepoint, taking more from the queue while the
        group is young; the units of work that committed."""
        began, kept = time.monotonic(), []
        while True:
            if uow := self._in_savepoint(connection, group[-1]):
                kept.append(uow)
            if len(group) == MAX_GROUP or time.monotonic() - began > GROUP_SECONDS:
                return kept
            try:
                unit = self._queue.get_nowait()
            except Empty:
                return kept
            if unit is None:  # closing: the units still queued get groups of their own
                self._queue.put(None)
                return kept
            group.append(unit)

    def _in_savepoint(self, connection: Connection, unit: _Unit[Any]) -> UnitOfWork | None:
        """Run one unit inside its savepoint; the unit of work if it committed anything."""
        # Savepoints go straight to the driver: through SQLAlchemy each would cost as much as a
        # short statement, and SQLAlchemy has no need to know of them.
        driver = sqlite_driver(connection)
        driver.execute(f"SAVEPOINT {UNIT_SAVEPOINT}")
        uow = UnitOfWork(connection, self.known_members, grouped=True)
        try:
            unit.outcome = (False, unit.work(uow))
        except Exception as error:
            unit.outcome = (True, error)
        finally:
            if not uow.committed or driver.total_changes != uow.changes_at_commit:
                # Undo what the unit wrote after its last commit (all of it, if it never did).
                driver.execute(f"ROLLBACK TO {UNIT_SAVEPOINT}")
            driver.execute(f"RELEASE {UNIT_SAVEPOINT}")
        return uow if uow.committed else None

    def _connection(self) -> Connection:
        """The thread's own connection, kept between units: a pool checkout and checkin cost as
        much as a statement, and this thread is the process's only writer."""
        kept = self._kept
        if kept is None or kept.closed or kept.invalidated:
            kept = self._kept = self.engine.connect()
            Checkpointer.writer_connected(kept)
        return kept

    def _close_connection(self) -> None:
        if self._kept is not None:
            self._kept.close()
            self._kept = None

    def _refuse_the_rest(self) -> None:
        """Units that slipped in as the writer closed fail rather than wait for ever."""
        with self._stopping:
            self._stopped = True
            left = [self._queue.get_nowait() for _ in range(self._queue.qsize())]
        _settle(_refuse([unit for unit in left if unit is not None]))


def _refuse(units: list[_Unit[Any]]) -> list[_Unit[Any]]:
    for unit in units:
        unit.outcome = (True, StorageUnavailable("the database is closed"))
    return units


def _settle(group: Iterable[_Unit[Any]]) -> None:
    """Hand each unit's outcome to its event loop, one wake-up per loop."""
    by_loop: dict[asyncio.AbstractEventLoop, list[_Unit[Any]]] = {}
    for unit in group:
        by_loop.setdefault(unit.loop, []).append(unit)
    for loop, units in by_loop.items():
        with contextlib.suppress(RuntimeError):  # a closed loop: nobody is waiting any more
            loop.call_soon_threadsafe(_resolve, units)


def _resolve(units: list[_Unit[Any]]) -> None:
    for unit in units:
        if unit.future.done():  # cancelled while it waited
            continue
        failed, value = unit.outcome
        if failed:
            unit.future.set_exception(value)
        else:
            unit.future.set_result(value)
