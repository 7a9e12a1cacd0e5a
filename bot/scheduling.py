"""APScheduler wiring: cron triggers in each channel's time zone wake one worker.

The triggers only decide *when* to look; what is due is decided by the core from the database,
so a trigger that fires twice (APScheduler fires twice in a fall-back hour), late, or in two
processes changes nothing: the claims make every post exactly-once. For the same reason channels
with the same schedule (zone, time, days) share one cron job, so memory grows with the number of
distinct schedules rather than with the number of channels.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.core.model import WEEKDAYS, Channel
from bot.core.ports import Platform
from bot.core.services.context import Core
from bot.core.services.delivery import BATCH
from bot.core.services.sweep import run_due_work

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


def daily_job_id(channel: Channel) -> str:
    s = channel.settings
    return f"daily:{s.timezone}:{s.post_time:%H:%M}:{''.join(map(str, sorted(s.days)))}"


def weekly_job_id(channel: Channel) -> str:
    s = channel.settings
    return f"weekly:{s.timezone}:{s.weekly_time:%H:%M}:{s.weekly_day}"


def daily_trigger(channel: Channel) -> CronTrigger:
    s = channel.settings
    days = ",".join(WEEKDAYS[day] for day in sorted(s.days))
    return CronTrigger(
        day_of_week=days, hour=s.post_time.hour, minute=s.post_time.minute, timezone=s.zone
    )


def weekly_trigger(channel: Channel) -> CronTrigger:
    s = channel.settings
    return CronTrigger(
        day_of_week=WEEKDAYS[s.weekly_day],
        hour=s.weekly_time.hour,
        minute=s.weekly_time.minute,
        timezone=s.zone,
    )


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
        self._jobs_of: dict[int, tuple[str, str]] = {}  # channel id -> its two job ids
        self._users: dict[str, int] = {}  # job id -> how many channels share it
        self._worker: asyncio.Task[None] | None = None
        self.runs = 0

    async def start(self) -> None:
        channels = await self.core.db.run(lambda uow: uow.channels.all())
        for channel in channels:
            self.schedule(channel)
        self.scheduler.add_job(self.poke, IntervalTrigger(seconds=self.sweep_seconds), id="sweep")
        self.core.signals.watch(self)
        self.scheduler.start()
        self._worker = asyncio.create_task(self._work(), name="drillbot-due-work")
        self.poke()  # catch up at once on anything missed while the bot was down

    def schedule(self, channel: Channel) -> None:
        """Make sure the channel's schedules have cron jobs; drop jobs no channel uses any more."""
        wanted = (daily_job_id(channel), weekly_job_id(channel))
        previous = self._jobs_of.get(channel.id)
        if previous == wanted:
            return
        self._jobs_of[channel.id] = wanted
        self._use(wanted[0], lambda: daily_trigger(channel))
        self._use(wanted[1], lambda: weekly_trigger(channel))
        for job_id in previous or ():
            self._release(job_id)

    def _use(self, job_id: str, trigger: Callable[[], CronTrigger]) -> None:
        self._users[job_id] = self._users.get(job_id, 0) + 1
        if self._users[job_id] == 1:
            self.scheduler.add_job(self.poke, trigger(), id=job_id, replace_existing=True)

    def _release(self, job_id: str) -> None:
        self._users[job_id] -= 1
        if self._users[job_id] == 0:
            del self._users[job_id]
            self.scheduler.remove_job(job_id)

    def schedule_changed(self, channel: Channel) -> None:
        """A committed settings change: move the cron jobs, and look for due work now."""
        self.schedule(channel)
        self.poke()

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
        if self._worker is not None:
            self._worker.cancel()
            await asyncio.gather(self._worker, return_exceptions=True)
