"""The core's one wake signal: a use case that committed a schedule change or queued a post says so.

Whoever schedules the bot's work (the APScheduler wiring in ``bot.scheduling``) watches it, so a
``post-now`` or a new post time is acted on at once instead of at the next periodic sweep, on every
platform alike. Built once with the core; nothing watches it in the console, whose clock runs due
work itself.
"""

from __future__ import annotations

from typing import Protocol

from bot.core.model import Channel


class ScheduleWatcher(Protocol):
    def schedule_changed(self, channel: Channel) -> None:
        """The channel's settings (and so its post times) changed and were committed."""

    def work_queued(self) -> None:
        """A post or round was claimed and committed: due work is waiting."""


class Signals:
    def __init__(self) -> None:
        self._watchers: list[ScheduleWatcher] = []

    def watch(self, watcher: ScheduleWatcher) -> None:
        self._watchers.append(watcher)

    def unwatch(self, watcher: ScheduleWatcher) -> None:
        if watcher in self._watchers:
            self._watchers.remove(watcher)

    def schedule_changed(self, channel: Channel) -> None:
        for watcher in self._watchers:
            watcher.schedule_changed(channel)

    def work_queued(self) -> None:
        for watcher in self._watchers:
            watcher.work_queued()
