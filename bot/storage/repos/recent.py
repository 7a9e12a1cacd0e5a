"""What this process last read of the rounds members answer in, so a first answer can be written
without reading first (PostgreSQL: one round trip instead of two).

Nothing here is trusted: the statement that starts an answer from a guess checks, on the rows as
they stand, that everything the guess decided on still holds (the round's state, the channel's
minimum length, the member's answers, reviews and streak), and writes nothing otherwise. Another
process, or a change this one did not see, costs one more round trip, never a wrong answer.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

from bot.core.model import Channel, Round
from bot.core.streaks import StreakState

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
MAX_THREADS = 2_000  # open rounds' threads: a day's drills of this process's busiest channels
MAX_ANSWERED = 20_000  # members who answered in those rounds
MAX_STREAKS = 20_000  # members' streaks per channel
ThreadKey = tuple[str, str, str, str]  # platform, space, channel, thread


class _Bounded(Generic[K, V]):
    """A mapping that forgets what was used longest ago once it holds ``limit`` entries."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._entries: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def put(self, key: K, value: V) -> None:
        self._entries[key] = value
        self._entries.move_to_end(key)
        if len(self._entries) > self._limit:
            self._entries.popitem(last=False)

    def drop(self, key: K) -> None:
        self._entries.pop(key, None)


class Recent:
    """Made once per process (``Database``), shared by its units of work."""

    def __init__(self) -> None:
        self.threads: _Bounded[ThreadKey, tuple[Round, Channel]] = _Bounded(MAX_THREADS)
        self.answered: _Bounded[tuple[int, int], bool] = _Bounded(MAX_ANSWERED)  # round, member
        self.streaks: _Bounded[tuple[int, int], StreakState] = _Bounded(MAX_STREAKS)
