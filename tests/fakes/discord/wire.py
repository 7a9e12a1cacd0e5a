"""HTTP plumbing shared by the REST routes: responses, recording, faults and rate limits."""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Final

from aiohttp import web

API_PREFIX: Final = re.compile(r"^/api/v\d+")
_TEMPLATE_PARAM: Final = re.compile(r"\{[^}]*\}")
_ERRORS: Final = {
    400: (50035, "Invalid Form Body"),
    401: (0, "401: Unauthorized"),
    403: (50013, "Missing Permissions"),
    404: (0, "404: Not Found"),
    405: (0, "405: Method Not Allowed"),
    500: (0, "500: Internal Server Error"),
    502: (0, "502: Bad Gateway"),
}


def json_response(
    payload: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """A JSON response whose Content-Type is exactly ``application/json`` like Discord's.

    discord.py's ``json_or_text`` only parses bodies whose content type equals that string;
    aiohttp's ``web.json_response`` would add ``; charset=utf-8``.
    """
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(status=status, body=json.dumps(payload).encode(), headers=all_headers)


def no_content() -> web.Response:
    """204 without a body and without a content type (an empty JSON body would not parse)."""
    return web.Response(status=204)


def error(
    status: int, message: str | None = None, code: int | None = None, **extra: Any
) -> web.Response:
    """Discord's error shape: ``{"message": ..., "code": ...}`` plus optional ``errors``."""
    default_code, default_message = _ERRORS.get(status, (0, f"{status}: Error"))
    body = {"message": message or default_message, "code": default_code if code is None else code}
    return json_response({**body, **extra}, status=status)


def normalise_route(route: str) -> str:
    """``/channels/{channel_id}/messages`` and ``/channels/{id}/messages`` compare equal."""
    route = API_PREFIX.sub("", route.split("?", 1)[0])
    return _TEMPLATE_PARAM.sub("{}", route.rstrip("/") or "/")


def path_matches(pattern: str, path: str) -> bool:
    """Segment-wise match; ``{...}`` in ``pattern`` matches any single segment."""
    wanted = API_PREFIX.sub("", pattern.split("?", 1)[0]).strip("/").split("/")
    actual = path.strip("/").split("/")
    if len(wanted) != len(actual):
        return False
    return all(_TEMPLATE_PARAM.fullmatch(w) or w == a for w, a in zip(wanted, actual, strict=True))


def bucket_hash(method: str, route: str) -> str:
    return hashlib.md5(f"{method} {route}".encode()).hexdigest()[:16]


@dataclass
class RecordedFile:
    field: str
    filename: str
    content_type: str
    data: bytes


@dataclass
class RecordedRequest:
    """One REST request as the fake saw it. ``route`` is the template, e.g.
    ``/channels/{channel_id}/messages``; ``path`` is concrete, both without ``/api/v10``."""

    method: str
    path: str
    route: str | None
    query: dict[str, str]
    headers: dict[str, str]
    json: Any = None
    files: list[RecordedFile] = field(default_factory=list)
    status: int | None = None
    response: Any = None
    at: float = field(default_factory=time.monotonic)

    def matches(self, method: str, route: str) -> bool:
        """``route`` is a template (any ``{name}`` matches one path segment) or a path."""
        return method.upper() == self.method and path_matches(route, self.path)


LOST = 0  # a Fault status: carry the request out, then drop the connection unanswered


@dataclass
class Fault:
    method: str
    route: str
    status: int
    remaining: int
    retry_after: float
    is_global: bool
    code: int | None
    message: str | None

    def applies(self, request: RecordedRequest) -> bool:
        return self.remaining > 0 and request.matches(self.method, self.route)


class Faults:
    """Queued failures handed out by ``FakeDiscord.fail_next``."""

    def __init__(self) -> None:
        self.pending: list[Fault] = []

    def add(self, fault: Fault) -> None:
        self.pending.append(fault)

    def take(self, request: RecordedRequest) -> Fault | None:
        for fault in self.pending:
            if fault.applies(request):
                fault.remaining -= 1
                if fault.remaining == 0:
                    self.pending.remove(fault)
                return fault
        return None


def rate_limited(retry_after: float, bucket: str, *, is_global: bool = False) -> web.Response:
    """A 429 discord.py treats as a real rate limit: ``Via`` header + JSON body."""
    headers = {
        "Via": "1.1 google",
        "Retry-After": str(max(1, round(retry_after))),
        "X-RateLimit-Limit": "5",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
        "X-RateLimit-Reset-After": f"{retry_after:.3f}",
        "X-RateLimit-Bucket": bucket,
        "X-RateLimit-Scope": "global" if is_global else "shared",
    }
    if is_global:
        headers["X-RateLimit-Global"] = "true"
    body = {
        "message": "You are being rate limited.",
        "retry_after": retry_after,
        "global": is_global,
    }
    return json_response(body, status=429, headers=headers)


class RateLimiter:
    """Optional enforcement, in sliding windows: at most ``per_second`` requests per route bucket
    (or ``route_limit`` per ``route_window`` seconds), and at most ``global_per_second`` requests
    of any route a second (Discord's global limit; interaction routes are exempt, as on Discord)."""

    def __init__(self) -> None:
        self.per_second: int | None = None
        self.route_window = 1.0
        self.global_per_second: int | None = None
        self._hits: dict[str, deque[float]] = {}
        self._global: deque[float] = deque()

    def check(self, key: str, *, exempt: bool = False) -> tuple[float, bool] | None:
        """``None`` if allowed (and counted), else the seconds to wait and whether it is global."""
        now = time.monotonic()
        if self.global_per_second is not None and not exempt:
            wait = _full(self._global, self.global_per_second, 1.0, now)
            if wait is not None:
                return wait, True
        if self.per_second is not None:
            window = self._hits.setdefault(key, deque())
            wait = _full(window, self.per_second, self.route_window, now)
            if wait is not None:
                return wait, False
            window.append(now)
        if self.global_per_second is not None and not exempt:
            self._global.append(now)
        return None

    def headers(self, key: str, bucket: str) -> dict[str, str]:
        limit = self.per_second or 50
        window = self._hits.get(key) or deque()
        now = time.monotonic()
        remaining = max(0, limit - len(window)) if self.per_second else limit - 1
        span = self.route_window
        reset_after = span - (now - window[0]) if self.per_second and window else span
        return {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{max(reset_after, 0.001):.3f}",
            "X-RateLimit-Bucket": bucket,
        }


def _full(window: deque[float], limit: int, span: float, now: float) -> float | None:
    """Seconds until ``window`` (request times) has room for one more within ``span``, or None."""
    while window and now - window[0] >= span:
        window.popleft()
    if len(window) >= limit:
        return max(0.001, span - (now - window[0]))
    return None
