"""APScheduler wiring: cron triggers in each channel's time zone wake one worker.

The triggers only decide *when* to look; what is due is decided by the core from the database,
so a trigger that fires twice (APScheduler fires twice in a fall-back hour), late, or in two
processes changes nothing: the claims make every post exactly-once. For the same reason channels
with the same schedule (zone, time, days) share one cron job, and start-up reads the distinct
schedules from the database rather than every channel: time and memory grow with the number of
distinct schedules, not with the number of channels.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Mapping
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.core.model import WEEKDAYS, Channel
from bot.core.ports import Platform
from bot.core.schedule import WakeTime, wake_times
from bot.core.services.context import Core
from bot.core.services.delivery import BATCH
from bot.core.services.sweep import run_due_work

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


def cron_trigger(wake: WakeTime) -> CronTrigger:
    return CronTrigger(
        day_of_week=",".join(WEEKDAYS[day] for day in sorted(wake.days)),
        hour=wake.at.hour,
        minute=wake.at.minute,
        timezone=wake.timezone,
    )


def daily_trigger(channel: Channel) -> CronTrigger:
    return cron_trigger(wake_times(channel.settings)[0])


def weekly_trigger(channel: Channel) -> CronTrigger:
    return cron_trigger(wake_times(channel.settings)[1])


class DrillScheduler:
    def __init__(
        self,
        core: Core,
        platforms: Mapping[str, Platform],
        sweep_seconds: float = 30.0,
        clock: Clock = lambda: datetime.now(UTC),
    ) -> None:
        self.core = core
        self.platforms = platforms
        self.clock = clock
        self.scheduler = AsyncIOScheduler(
            timezone=UTC, job_defaults={"coalesce": True, "max_instances": 1}
        )
        self.sweep_seconds = sweep_seconds
        self._wake = asyncio.Event()
        self._wake_keys: set[str] = set()  # one per distinct schedule with a cron job
        self._changes = 0  # schedule changes seen: a prune that raced one leaves jobs alone
        self._tasks: set[asyncio.Task[None]] = set()
        self.runs = 0

    async def start(self) -> None:
        for wake in await self.core.db.run(lambda uow: uow.channels.wake_times()):
            self._ensure(wake)
        self.scheduler.add_job(self.poke, IntervalTrigger(seconds=self.sweep_seconds), id="sweep")
        self.core.signals.watch(self)
        self.scheduler.start()
        self._spawn(self._work(), "drillbot-due-work")
        self.poke()  # catch up at once on anything missed while the bot was down

    def _ensure(self, wake: WakeTime) -> None:
        if wake.key not in self._wake_keys:
            self._wake_keys.add(wake.key)
            self.scheduler.add_job(self.poke, cron_trigger(wake), id=wake.key)

    def schedule_changed(self, channel: Channel) -> None:
        """A committed settings change: a new schedule gets its cron job, and due work a look now."""
        self._changes += 1
        for wake in wake_times(channel.settings):
            self._ensure(wake)
        self._spawn(self._prune(), "drillbot-prune-jobs")
        self.poke()

    async def _prune(self) -> None:
        """Drop the cron jobs of schedules no channel uses any more (a stale one would only wake
        the worker for nothing)."""
        seen = self._changes
        try:
            in_use = await self.core.db.run(lambda uow: uow.channels.wake_times())
        except Exception:
            log.warning("could not read the schedules in use; unused cron jobs stay", exc_info=True)
            return
        if seen != self._changes:
            return  # a change committed meanwhile may be missing from what was read: it prunes
        for key in self._wake_keys - {wake.key for wake in in_use}:
            self._wake_keys.discard(key)
            self.scheduler.remove_job(key)

    def _spawn(self, work: Coroutine[Any, Any, None], name: str) -> None:
        task = asyncio.create_task(work, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def work_queued(self) -> None:
        self.poke()

    def poke(self) -> None:
        self._wake.set()

    async def _work(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            try:
                report = await run_due_work(self.core, self.platforms, self.clock(), overlap=True)
            except Exception:
                log.exception("due work failed; the next wake-up retries it")
                continue
            self.runs += 1
            if report.sent >= BATCH or report.opened or report.closed:
                self.poke()  # more may be waiting behind a full batch

    async def stop(self) -> None:
        self.core.signals.unwatch(self)
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
