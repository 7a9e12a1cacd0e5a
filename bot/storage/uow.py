"""The unit of work and the database that runs it.

A use case's storage work is a plain function of a ``UnitOfWork``; ``Database.run`` executes it in
one transaction that rolls back unless the function commits. On SQLite the whole function runs in
one dedicated thread (one hop per use case instead of one per statement); on PostgreSQL it runs
through ``AsyncConnection.run_sync`` on asyncpg.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.repos.answers import AnswerRepo
from bot.storage.repos.channels import ChannelRepo, MemberRepo
from bot.storage.repos.posts import PostRepo
from bot.storage.repos.requests import RequestRepo
from bot.storage.repos.rounds import RoundRepo
from bot.storage.repos.scores import ScoreRepo
from bot.storage.repos.streaks import StreakRepo

T = TypeVar("T")


class UnitOfWork:
    """Repositories over one connection inside one transaction."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.channels = ChannelRepo(connection)
        self.members = MemberRepo(connection)
        self.rounds = RoundRepo(connection)
        self.answers = AnswerRepo(connection)
        self.scores = ScoreRepo(connection)
        self.streaks = StreakRepo(connection)
        self.posts = PostRepo(connection)
        self.requests = RequestRepo(connection)

    def commit(self) -> None:
        self.connection.commit()


def _in_transaction(connection: Connection, work: Callable[[UnitOfWork], T]) -> T:
    connection.begin()
    try:
        return work(UnitOfWork(connection))
    finally:
        if connection.in_transaction():
            connection.rollback()


class Database:
    """Runs units of work; made once per process in ``bootstrap``."""

    def __init__(self, engine: AsyncEngine, sync_engine: Engine | None = None) -> None:
        self.engine = engine
        self._sync_engine = sync_engine
        # SQLite allows one writer at a time; one thread keeps this process's writers in line.
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="sqlite") if sync_engine else None

    async def run(self, work: Callable[[UnitOfWork], T]) -> T:
        if self._sync_engine is not None and self._thread is not None:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._thread, self._run_sqlite, work)
        async with self.engine.connect() as connection:
            return await connection.run_sync(_in_transaction, work)

    def _run_sqlite(self, work: Callable[[UnitOfWork], T]) -> T:
        assert self._sync_engine is not None
        with self._sync_engine.connect() as connection:
            return _in_transaction(connection, work)

    async def dispose(self) -> None:
        if self._thread is not None:
            self._thread.shutdown(wait=True)
        if self._sync_engine is not None:
            self._sync_engine.dispose()
        await self.engine.dispose()
