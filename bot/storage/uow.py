"""The unit of work and the database that runs it.

A use case's storage work is a plain function of a ``UnitOfWork``; ``Database.run`` executes it in
one transaction that rolls back unless the function commits. On SQLite the whole function runs on
the process's one writer thread (``bot.storage.sqlite_writer``: one hop per use case instead of one
per statement); on PostgreSQL it runs in one greenlet on asyncpg.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Generic, TypeVar

from sqlalchemy import Connection, TextClause, exc, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.util import greenlet_spawn

from bot.core.errors import StorageUnavailable
from bot.storage.repos.analytics import AnalyticsRepo
from bot.storage.repos.answer_start import ContextChanged, GuessedFrom
from bot.storage.repos.answering import AnswerContext, AnsweringRepo, Duplicate, NewAnswer
from bot.storage.repos.answers import AnswerRepo
from bot.storage.repos.channels import ChannelRepo, MemberKey, MemberRepo
from bot.storage.repos.connections import ConnectionRepo
from bot.storage.repos.driver import on_driver, sqlite_driver
from bot.storage.repos.exports import ExportRepo
from bot.storage.repos.identify import IdentifyTurnRepo
from bot.storage.repos.posts import PostRepo
from bot.storage.repos.problems import ProblemRepo
from bot.storage.repos.recent import Recent
from bot.storage.repos.requests import RequestRepo
from bot.storage.repos.reviews import ReviewRepo
from bot.storage.repos.rounds import RoundRepo
from bot.storage.repos.scores import ScoreRepo
from bot.storage.repos.streaks import StreakChanged, StreakRepo
from bot.storage.repos.votes import VoteRepo, VoteTarget

if TYPE_CHECKING:
    from bot.storage.sqlite_writer import SqliteWriter

# What use cases read and write through the unit of work, by name.
__all__ = [
    "AnswerContext",
    "ContextChanged",
    "Database",
    "Duplicate",
    "GuessedFrom",
    "NeedsTransaction",
    "NewAnswer",
    "StaleConnection",
    "StreakChanged",
    "UnitOfWork",
    "VoteTarget",
    "reason",
]

T = TypeVar("T")
# SQLite: take the write lock when the transaction begins, not at its first write (a deferred
# transaction that reads and then writes can fail with "database is locked" despite the timeout).
BEGIN_IMMEDIATE = "BEGIN IMMEDIATE"
BEGIN = text(BEGIN_IMMEDIATE)  # sent on the driver (``bot.storage.repos.driver``)
# Each unit of a group commit runs inside this savepoint (see ``bot.storage.sqlite_writer``).
UNIT_SAVEPOINT = "unit_of_work"
# A locked SQLite file, a database server that is down or unreachable, a pool with no connection
# to spare: the work did not happen, and trying again later may succeed.
UNAVAILABLE = (exc.OperationalError, exc.InterfaceError, exc.TimeoutError, OSError, TimeoutError)
# PostgreSQL's words for the same: connection exceptions (08), too little room (53), an operator
# stopping the server (57), and a lock not granted within lock_timeout (55P03).
UNAVAILABLE_SQLSTATE = ("08", "53", "57", "55P03")
MAX_STREAK_RACES = 20  # work that met a streak written since it was read runs again (PostgreSQL)


R = TypeVar("R")


class _Repo(Generic[R]):
    """A unit of work's repository, made on first use and kept for the rest of the unit."""

    def __init__(self, make: Callable[[Connection], R]) -> None:
        self._make = make

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    def __get__(self, uow: UnitOfWork, owner: type) -> R:
        repo = uow.__dict__[self._name] = self._make(uow.connection)
        return repo


class UnitOfWork:
    """Repositories over one connection inside one transaction."""

    def __init__(
        self,
        connection: Connection,
        known_members: dict[MemberKey, tuple[int, str]] | None = None,
        *,
        grouped: bool = False,
        recent: Recent | None = None,
    ) -> None:
        self.connection = connection
        self.members = MemberRepo(connection, known_members)
        self.recent = recent  # what the process read last (PostgreSQL: ``AnsweringRepo``)
        self.committing = False
        self.autocommit = False  # each statement commits on its own (PostgreSQL, when asked)
        # One of several units sharing a transaction (SQLite's group commit): committing keeps
        # its writes so far, and they become durable when the group's transaction commits.
        self.grouped = grouped
        self.committed = False
        self.changes_at_commit = 0
        self.members_at_commit: dict[MemberKey, tuple[int, str]] = {}

    # The repositories, each made when first used: a member's action uses two or three of them.
    channels = _Repo(ChannelRepo)
    rounds = _Repo(RoundRepo)
    answers = _Repo(AnswerRepo)
    votes = _Repo(VoteRepo)
    scores = _Repo(ScoreRepo)
    reviews = _Repo(ReviewRepo)
    streaks = _Repo(StreakRepo)
    posts = _Repo(PostRepo)
    requests = _Repo(RequestRepo)
    connections = _Repo(ConnectionRepo)
    identify_turns = _Repo(IdentifyTurnRepo)
    problems = _Repo(ProblemRepo)
    exports = _Repo(ExportRepo)
    analytics = _Repo(AnalyticsRepo)

    @cached_property
    def answering(self) -> AnsweringRepo:
        return AnsweringRepo(self.connection, self.members, self.recent)

    def require_transaction(self) -> None:
        """The work is about to make more than one write: in autocommit mode it starts over in a
        transaction (call it before the first write, so nothing is done twice)."""
        if self.autocommit:
            raise NeedsTransaction()

    def commit(self) -> None:
        self.committing = True  # from here a lost connection leaves the outcome unknown
        self.committed = True
        if self.grouped:
            # Keep the writes so far; a savepoint begins again for any that follow.
            driver = sqlite_driver(self.connection)
            driver.execute(f"RELEASE {UNIT_SAVEPOINT}")
            driver.execute(f"SAVEPOINT {UNIT_SAVEPOINT}")
            self.changes_at_commit = driver.total_changes
            self.members_at_commit = self.members.seen()
            return
        self.connection.commit()
        self.members.committed()


class NeedsTransaction(Exception):
    """Work running without a transaction found it needs one: ``Database.run`` runs it again
    in a transaction."""


class StaleConnection(Exception):
    """A pooled connection the server had dropped failed before anything was committed: the
    transaction rolled back with it, so the work can run again on a fresh connection."""


def in_transaction(
    connection: Connection,
    work: Callable[[UnitOfWork], T],
    known_members: dict[MemberKey, tuple[int, str]] | None = None,
    begin: TextClause | None = None,
    autocommit: bool = False,
    recent: Recent | None = None,
) -> T:
    connection.begin()
    uow = UnitOfWork(connection, known_members, recent=recent)
    uow.autocommit = autocommit
    try:
        if begin is not None:
            on_driver(connection, begin, {})
        return work(uow)
    except exc.DBAPIError as error:
        if error.connection_invalidated and not uow.committing:
            raise StaleConnection() from error
        raise
    finally:
        roll_back_what_is_open(connection)


def roll_back_what_is_open(connection: Connection) -> None:
    """End the transaction unless it committed. After a failed COMMIT, SQLAlchemy's transaction
    is over but SQLite's can still be open (a deferred constraint): it is rolled back too."""
    if connection.invalidated:
        return
    if connection.get_transaction() is not None:
        connection.rollback()
    if connection.dialect.name == "sqlite" and sqlite_driver(connection).in_transaction:
        sqlite_driver(connection).rollback()


def reason(error: BaseException) -> str:
    """The first line of what the driver said (no SQL, no parameters)."""
    original = getattr(error, "orig", None) or error
    text = str(original).strip()
    return text.splitlines()[0] if text else type(original).__name__


class Database:
    """Runs units of work; made once per process in ``bootstrap``."""

    def __init__(self, engine: AsyncEngine, writer: SqliteWriter | None = None) -> None:
        self.engine = engine
        self.writer = writer  # SQLite: the process's one writer thread
        self.known_members: dict[MemberKey, tuple[int, str]] = {}  # see ``MemberRepo``
        # PostgreSQL: what the process read last, so a first answer needs no read (``recent``).
        self.recent = Recent() if writer is None else None

    async def run(self, work: Callable[[UnitOfWork], T], *, autocommit: bool = False) -> T:
        """Run ``work`` in one transaction; ``StorageUnavailable`` when the database cannot.

        ``autocommit``: on PostgreSQL each statement commits on its own, which saves the BEGIN
        and COMMIT round trips; only for work whose every write is one self-contained statement
        that may stand even if the work goes no further. Work that finds it must write more
        calls ``uow.require_transaction()`` first, and runs again in a transaction.
        """
        try:
            return await self._run(work, autocommit)
        except UNAVAILABLE as error:
            raise StorageUnavailable(f"{type(error).__name__}: {_first_line(error)}") from error
        except exc.DBAPIError as error:
            if not str(getattr(error.orig, "sqlstate", "")).startswith(UNAVAILABLE_SQLSTATE):
                raise
            raise StorageUnavailable(f"{type(error).__name__}: {_first_line(error)}") from error

    async def _run(self, work: Callable[[UnitOfWork], T], autocommit: bool) -> T:
        if self.writer is not None:
            return await self.writer.run(work)
        for _ in range(MAX_STREAK_RACES):
            try:
                return await self._run_once(work, autocommit)
            except StreakChanged:
                # Another action of the member's wrote their streak first (each such race means
                # one went through): read it again and work from there.
                continue
        raise StorageUnavailable("the member's streak kept changing; try again")

    async def _run_once(self, work: Callable[[UnitOfWork], T], autocommit: bool) -> T:
        try:
            return await self._run_postgres(work, autocommit)
        except StaleConnection:
            # No ping before every checkout (a round trip per transaction): a connection that
            # went stale is found by the work itself, and the work runs once more.
            try:
                return await self._run_postgres(work, autocommit)
            except StaleConnection as again:
                raise again.__cause__ or again from None

    async def _run_postgres(self, work: Callable[[UnitOfWork], T], autocommit: bool) -> T:
        # Checkout, work and checkin in one greenlet: a hop between the event loop and SQLAlchemy's
        # sync API costs as much as a short statement does.
        return await greenlet_spawn(self._run_sync, work, autocommit)

    def _run_sync(self, work: Callable[[UnitOfWork], T], autocommit: bool) -> T:
        if autocommit:
            try:
                with self.engine.sync_engine.connect() as connection:
                    # Set on the connection, not the engine: an engine-level option would hang
                    # an event hook on the engine, and SQLAlchemy would run its event machinery
                    # around every statement. asyncpg then simply sends no BEGIN.
                    connection.execution_options(isolation_level="AUTOCOMMIT")
                    return in_transaction(
                        connection, work, self.known_members, autocommit=True, recent=self.recent
                    )
            except NeedsTransaction:
                pass
        with self.engine.sync_engine.connect() as connection:
            return in_transaction(connection, work, self.known_members, recent=self.recent)

    @property
    def shared_by_processes(self) -> bool:
        """PostgreSQL: several processes can work on this database and coordinate through it
        (advisory locks); a SQLite file serves the one process that opened it."""
        return self.engine.dialect.name == "postgresql"

    async def dispose(self) -> None:
        if self.writer is not None:
            await self.writer.close()
            self.writer.engine.dispose()
        await self.engine.dispose()


def _first_line(error: BaseException) -> str:
    """SQLAlchemy's messages carry the statement and its parameters after the first line."""
    return str(error).strip().split("\n", 1)[0][:200]
