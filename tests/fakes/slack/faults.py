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
    closing: set[int] = field(default_factory=set)  # ids of 429 faults that close their method
    closed_until: dict[str, float] = field(default_factory=dict)
    refused_while_closed: int = 0

    def add(self, fault: Fault, closes: bool = False) -> None:
        self.pending.append(fault)
        if closes:
            self.closing.add(id(fault))

    def answer(self, method: str) -> Reply | None:
        """The reply of a fault for this call, if one applies (a closed method: 429 again)."""
        now = time.monotonic()
        if self.closed_until.get(method, 0.0) > now:
            self.refused_while_closed += 1
            return limited(self.closed_until[method] - now)
        fault = self.take(method)
        if fault is not None and id(fault) in self.closing and fault.retry_after is not None:
            self.closed_until[method] = now + fault.retry_after
        return fault.reply() if fault is not None else None

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
class Buckets:
    """Token buckets by key: ``per_second`` refill, ``burst`` capacity."""

    per_second: float
    burst: int
    _state: dict[str, tuple[float, float]] = field(default_factory=dict)

    def wait(self, key: str, now: float) -> float:
        """Seconds until ``key`` has a token (0 when it has one now); takes nothing."""
        tokens = self._tokens(key, now)
        return 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.per_second

    def take(self, key: str, now: float) -> None:
        self._state[key] = (self._tokens(key, now) - 1.0, now)

    def _tokens(self, key: str, now: float) -> float:
        tokens, last = self._state.get(key, (float(self.burst), now))
        return min(float(self.burst), tokens + (now - last) * self.per_second)


@dataclass
class ChannelRateLimit:
    """Slack's posting limit per channel (about one message a second)."""

    per_second: float
    burst: int
    methods: frozenset[str]
    hits: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.buckets = Buckets(self.per_second, self.burst)

    def check(self, method: str, channel: str | None, now: float | None = None) -> Reply | None:
        """None if the call may go ahead (its token is taken), else the 429 reply (counted)."""
        if method not in self.methods or not channel:
            return None
        now = time.monotonic() if now is None else now
        wait = self.buckets.wait(channel, now)
        if wait > 0:
            self.hits[channel] += 1
            return limited(wait)
        self.buckets.take(channel, now)
        return None

    @property
    def total_hits(self) -> int:
        return sum(self.hits.values())


@dataclass
class WorkspaceRateLimit:
    """A method's limit across the whole workspace (one bucket per bot token), as Slack keeps
    for ``chat.postMessage`` on top of the per-channel one; it publishes no figure for it."""

    per_second: float
    burst: int
    methods: frozenset[str]
    hits: int = 0

    def __post_init__(self) -> None:
        self.buckets = Buckets(self.per_second, self.burst)

    def wait(self, method: str, token: str, now: float) -> float:
        return self.buckets.wait(f"{method}:{token}", now) if method in self.methods else 0.0

    def take(self, method: str, token: str, now: float) -> None:
        if method in self.methods:
            self.buckets.take(f"{method}:{token}", now)


def limited(wait: float) -> Reply:
    """HTTP 429 with ``Retry-After`` in whole seconds, as Slack sends it."""
    retry_after = max(1, math.ceil(wait))
    return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}


def check_limits(
    per_channel: ChannelRateLimit | None,
    workspace: WorkspaceRateLimit | None,
    call: tuple[str, str | None, str | None],
) -> Reply | None:
    """None if ``call`` (method, channel id, bot token) is within every limit, and its tokens are
    taken; else the 429 of the first limit it is over (a refused call takes no token)."""
    method, channel, token = call
    now = time.monotonic()
    if workspace is not None and token is not None:
        wait = workspace.wait(method, token, now)
        if wait > 0:
            workspace.hits += 1
            return limited(wait)
    refused = per_channel.check(method, channel, now) if per_channel is not None else None
    if refused is None and workspace is not None and token is not None:
        workspace.take(method, token, now)
    return refused


class RateLimits:
    """The fake's posting limits (none until a test sets them), and the 429s they answered."""

    rate_limit: ChannelRateLimit | None = None
    workspace_limit: WorkspaceRateLimit | None = None

    def rate_limit_per_channel(
        self,
        per_second: float = 1.0,
        *,
        burst: int = 1,
        methods: tuple[str, ...] = ("chat.postMessage", "chat.postEphemeral"),
    ) -> ChannelRateLimit:
        """Enforce Slack's posting limit per channel; excess calls get 429 and are counted."""
        self.rate_limit = ChannelRateLimit(per_second, burst, frozenset(methods))
        return self.rate_limit

    def rate_limit_workspace(
        self, per_second: float, *, burst: int = 1, methods: tuple[str, ...] = ("chat.postMessage",)
    ) -> WorkspaceRateLimit:
        """Enforce a workspace-wide limit (per bot token) on ``methods``, on top of any per-channel
        one: excess calls get 429 with ``Retry-After`` and are counted."""
        self.workspace_limit = WorkspaceRateLimit(per_second, burst, frozenset(methods))
        return self.workspace_limit

    @property
    def rate_limited_count(self) -> int:
        """429s answered for the per-channel and the workspace limits together."""
        channel_hits = self.rate_limit.total_hits if self.rate_limit else 0
        return channel_hits + (self.workspace_limit.hits if self.workspace_limit else 0)
