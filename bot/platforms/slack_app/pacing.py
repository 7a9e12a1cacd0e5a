"""Posting pace: Slack allows about one message per second per channel, keeps a workspace-wide
limit on ``chat.postMessage`` and answers 429 with ``Retry-After`` past any limit."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

MAX_LANES = 10_000
MAX_RETRY_AFTER = 300.0


class ChannelPacer:
    """One post at a time per lane (a channel), at least ``interval`` seconds apart."""

    def __init__(self, interval: float = 1.0) -> None:
        self.interval = interval
        self._locks: dict[str, asyncio.Lock] = {}
        self._next_at: dict[str, float] = {}

    @asynccontextmanager
    async def turn(self, lane: str) -> AsyncIterator[None]:
        if len(self._locks) > MAX_LANES:
            self._forget_idle_lanes()
        lock = self._locks.setdefault(lane, asyncio.Lock())
        async with lock:
            wait = self._next_at.get(lane, 0.0) - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                yield
            finally:
                self._next_at[lane] = time.monotonic() + self.interval

    def _forget_idle_lanes(self) -> None:
        now = time.monotonic()
        for lane, lock in list(self._locks.items()):
            if not lock.locked() and self._next_at.get(lane, 0.0) <= now:
                del self._locks[lane]
                self._next_at.pop(lane, None)


class WorkspacePacer:
    """Turns for Web API calls per workspace (its bot token) and method: spaced evenly at the
    method's workspace-wide rate where one is set, and all held while a 429's Retry-After runs.

    Slack sends no limit headers before a 429, only ``Retry-After`` with it, and publishes no
    figure for ``chat.postMessage``'s workspace-wide limit: its rate is a setting
    (``DRILLBOT_SLACK_POST_RATE``)."""

    def __init__(self, rates: Mapping[str, float] | None = None) -> None:
        self.rates = dict(rates or {})
        self._next_at: dict[tuple[str, str], float] = {}
        self._held_until: dict[tuple[str, str], float] = {}

    async def turn(self, token: str, method: str) -> None:
        """Return when one more ``method`` call may go to the workspace of ``token``."""
        key = (token, method)
        while True:
            await asyncio.sleep(max(0.0, self._claim(key) - time.monotonic()))
            if self._held_until.get(key, 0.0) <= time.monotonic():
                return  # no 429 came while waiting (else queue again behind its Retry-After)

    def _claim(self, key: tuple[str, str]) -> float:
        """The next free moment for ``key``, taken."""
        slot = max(time.monotonic(), self._next_at.get(key, 0.0), self._held_until.get(key, 0.0))
        rate = self.rates.get(key[1])
        if rate:
            self._next_at[key] = slot + 1.0 / rate
        return slot

    def hold(self, token: str, method: str, seconds: float) -> None:
        """Nothing of ``method`` goes to the workspace for ``seconds`` (Slack's Retry-After)."""
        key = (token, method)
        until = time.monotonic() + seconds
        self._held_until[key] = max(self._held_until.get(key, 0.0), until)


class WorkspaceRetryAfter(AsyncRateLimitErrorRetryHandler):
    """slack_sdk's 429 retry, with the Retry-After honoured by the whole workspace: every call
    of the same method in the workspace waits it out too, and the retry then takes its turn."""

    def __init__(self, pacer: WorkspacePacer, max_retry_count: int = 1) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.pacer = pacer

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        token, method = _token(request), _method(request)
        self.pacer.hold(token, method, retry_after(response))
        await self.pacer.turn(token, method)  # instead of the SDK's own sleep of Retry-After
        state.next_attempt_requested = True
        state.increment_current_attempt()


def retry_after(response: HttpResponse | None) -> float:
    """Seconds Slack asked to wait (1 when it did not say or said nonsense; at most 5 minutes)."""
    headers = {
        name.lower(): values for name, values in (response.headers if response else {}).items()
    }
    values = headers.get("retry-after") or ["1"]
    try:
        seconds = float(values[0])
    except ValueError:
        return 1.0
    # "inf" or "nan" parse as floats too; a hold must end, or the workspace would go silent.
    return min(max(seconds, 0.0), MAX_RETRY_AFTER) if math.isfinite(seconds) else 1.0


def _token(request: HttpRequest) -> str:
    headers = {name.lower(): values for name, values in request.headers.items()}
    value = (headers.get("authorization") or [""])[0]
    return str(value).removeprefix("Bearer ")


def _method(request: HttpRequest) -> str:
    """The Web API method a request calls: the last part of its URL's path."""
    return request.url.split("?", 1)[0].rsplit("/", 1)[-1]
