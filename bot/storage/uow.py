"""The unit of work: one transaction, rolled back unless the use case commits it."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.storage.repos.answers import AnswerRepo
from bot.storage.repos.channels import ChannelRepo, MemberRepo
from bot.storage.repos.posts import PostRepo
from bot.storage.repos.rounds import RoundRepo
from bot.storage.repos.scores import ScoreRepo


class UnitOfWork:
    channels: ChannelRepo
    members: MemberRepo
    rounds: RoundRepo
    answers: AnswerRepo
    scores: ScoreRepo
    posts: PostRepo

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._connection: AsyncConnection | None = None

    async def __aenter__(self) -> Self:
        connection = await self._engine.connect()
        await connection.begin()
        self._connection = connection
        self.channels = ChannelRepo(connection)
        self.members = MemberRepo(connection)
        self.rounds = RoundRepo(connection)
        self.answers = AnswerRepo(connection)
        self.scores = ScoreRepo(connection)
        self.posts = PostRepo(connection)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        connection = self._require()
        try:
            if connection.in_transaction():
                await connection.rollback()
        finally:
            await connection.close()
            self._connection = None

    async def commit(self) -> None:
        await self._require().commit()

    async def rollback(self) -> None:
        await self._require().rollback()

    def _require(self) -> AsyncConnection:
        if self._connection is None:
            raise RuntimeError("the unit of work is not open; use 'async with'")
        return self._connection


class UnitOfWorkFactory:
    """Makes a fresh ``UnitOfWork`` per use case, all on one engine."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    def __call__(self) -> UnitOfWork:
        return UnitOfWork(self.engine)
