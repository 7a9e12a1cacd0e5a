"""Logging: plain text or one JSON object per line, with secrets redacted.

What an outsider sends can reach a log line (a rejected request's reason, a member's text in an
exception), so every text line is one line: newlines, control and bidi characters are escaped.
Slack's libraries log request bodies, response URLs and headers at DEBUG by design, so they are
held at INFO whatever the level asked for; floods of refused requests are summarised
(``Throttle``).
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from typing import Any

# Slack bot/user/app/refresh tokens, and Discord bot tokens (base64 of the bot id, which starts
# with M, N or O depending on the id's first digit, then a timestamp and an HMAC).
_SECRET = re.compile(
    r"(xox[abposre]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|[MNO][A-Za-z\d_-]{23,27}\.[\w-]{6}\.[\w-]{27,})"
)
# Slack's response URLs (and anything named response_url) let whoever holds them reply for the bot.
_RESPONSE_URL = re.compile(
    r"https://hooks\.slack(?:-gov)?\.com/\S+|(response_url['\"]?\s*[:=]\s*['\"]?)[^'\"\s,}&]+"
)
# C0 and C1 controls, DEL, and the bidi formatting characters that reorder what a reader sees.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
CONTEXT_FIELDS = ("round_id", "channel_id", "post", "platform")
CHATTY_LIBRARIES = ("slack_bolt", "slack_sdk")


def redact(text: str) -> str:
    text = _SECRET.sub("[redacted]", text)
    return _RESPONSE_URL.sub(lambda m: f"{m.group(1) or ''}[redacted]", text)


def one_line(text: str) -> str:
    """``text`` with every newline, control and bidi character escaped (``\\n``, ``\\x1b``)."""
    return _CONTROL.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line (``json.dumps`` escapes every control character)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({key: getattr(record, key) for key in CONTEXT_FIELDS if hasattr(record, key)})
        if record.exc_info:
            entry["error"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry)


class RedactingFormatter(logging.Formatter):
    """Plain text, one line per record (a traceback too); secrets redacted, since exception
    messages can carry tokens."""

    def format(self, record: logging.LogRecord) -> str:
        return one_line(redact(super().format(record)))


class Throttle:
    """At most one line per ``every`` seconds for each kind of event; the ones held back are
    counted and the count is told with the next line of that kind."""

    def __init__(
        self,
        logger: logging.Logger,
        every: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
        max_kinds: int = 100,
    ) -> None:
        self.logger, self.every, self.clock, self.max_kinds = logger, every, clock, max_kinds
        self._seen: dict[str, tuple[float, int]] = {}

    def warning(self, kind: str, message: str) -> None:
        now = self.clock()
        last, held = self._seen.get(kind, (None, 0))
        if last is not None and now - last < self.every:
            self._seen[kind] = (last, held + 1)
            return
        if len(self._seen) >= self.max_kinds:  # kinds come from code, but stay bounded anyway
            self._seen.clear()
        since = now - last if last is not None else 0.0
        more = f" (and {held} more in the last {since:.0f}s)" if held else ""
        self.logger.warning("%s%s", message, more)
        self._seen[kind] = (now, 0)


def setup_logging(level: str, fmt: str) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(RedactingFilter())
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    floor = max(logging.INFO, logging.getLevelName(level))
    for name in CHATTY_LIBRARIES:  # their DEBUG lines carry request bodies and response URLs
        logging.getLogger(name).setLevel(floor)
    # Alembic announces every migration step at INFO; the console transcript has no use for it.
    logging.getLogger("alembic").setLevel(max(logging.WARNING, logging.getLevelName(level)))
