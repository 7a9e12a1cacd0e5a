"""Fault injection for the fake Web API: one-shot failures and a per-channel rate limit."""

from __future__ import annotations

import math
import time
from collections import Counter
from dataclasses import dataclass, field

from tests.fakes.slack.models import JSON

Reply = tuple[int, JSON, dict[str, str]]


@dataclass
class Fault:
    """The next ``remaining`` calls to ``method`` answer ``error`` instead of running."""

    method: str
    error: str
    status: int
    retry_after: int | None
    remaining: int
    needed: str | None
    provided: str

    def reply(self) -> Reply:
        body: JSON = {"ok": False, "error": self.error}
        headers: dict[str, str] = {}
        if self.status == 429 and self.retry_after is not None:
            headers["Retry-After"] = str(self.retry_after)
        if self.error == "missing_scope":
            body.update(needed=self.needed or "chat:write", provided=self.provided)
        return self.status, body, headers


@dataclass
class Faults:
    pending: list[Fault] = field(default_factory=list)

    def add(self, fault: Fault) -> None:
        self.pending.append(fault)

    def take(self, method: str) -> Fault | None:
        for fault in self.pending:
            if fault.method == method:
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self.pending.remove(fault)
                return fault
        return None


@dataclass
class LateAnswers:
    """The next ``remaining`` calls to ``method`` are carried out, then answered ``delay`` seconds
    later: a client with a shorter timeout never learns that its call worked."""

    method: str
    delay: float
    remaining: int

    def take(self, method: str) -> float | None:
        if method != self.method or self.remaining <= 0:
            return None
        self.remaining -= 1
        return self.delay


def default_status(error: str) -> int:
    return 429 if error == "ratelimited" else 200


@dataclass
class ChannelRateLimit:
    """Token bucket per channel: ``per_second`` refill, ``burst`` capacity."""

    per_second: float
    burst: int
    methods: frozenset[str]
    hits: Counter[str] = field(default_factory=Counter)
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def check(self, method: str, channel: str | None, now: float | None = None) -> Reply | None:
        """None if the call may go ahead, else the 429 reply (and the hit is counted)."""
        if method not in self.methods or not channel:
            return None
        now = time.monotonic() if now is None else now
        tokens, last = self._buckets.get(channel, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.per_second)
        if tokens >= 1.0:
            self._buckets[channel] = (tokens - 1.0, now)
            return None
        self._buckets[channel] = (tokens, now)
        self.hits[channel] += 1
        wait = max(1, math.ceil((1.0 - tokens) / self.per_second))
        return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(wait)}

    @property
    def total_hits(self) -> int:
        return sum(self.hits.values())
