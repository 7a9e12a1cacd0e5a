"""Shared set-up for the benchmarks: a migrated database, a core, a registered channel."""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from bot.core.model import Actor, Place
from bot.core.services import admin
from bot.core.services.context import Core
from bot.storage.engine import open_database
from bot.storage.migrate import upgrade
from drills import load_bank

START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
PLATFORM, SPACE, CHANNEL = "bench", "space", "channel"


async def fresh_core(url: str, **options: object) -> Core:
    database = open_database(url, **options)
    await upgrade(database)
    return Core(db=database, bank=load_bank())


async def register(core: Core, channel: str = CHANNEL) -> None:
    await admin.register_channel(core, Place(PLATFORM, SPACE, channel), START)


def member(number: int) -> Actor:
    return Actor(PLATFORM, SPACE, f"u{number}", f"member {number}")


async def timed(action: Callable[[], Awaitable[object]]) -> float:
    began = time.perf_counter()
    await action()
    return time.perf_counter() - began


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000
