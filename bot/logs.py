"""Logging: plain text or one JSON object per line, with token-looking strings redacted."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

# Slack bot/user/app/refresh tokens, and Discord bot tokens (base64 of the bot id, which starts
# with M, N or O depending on the id's first digit, then a timestamp and an HMAC).
_SECRET = re.compile(
    r"(xox[abposre]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|[MNO][A-Za-z\d_-]{23,27}\.[\w-]{6}\.[\w-]{27,})"
)
CONTEXT_FIELDS = ("round_id", "channel_id", "post", "platform")


def redact(text: str) -> str:
    return _SECRET.sub("[redacted]", text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        return True


class JsonFormatter(logging.Formatter):
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
    """Plain text lines; tracebacks are redacted too, since exception messages can carry tokens."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def setup_logging(level: str, fmt: str) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(RedactingFilter())
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # Alembic announces every migration step at INFO; the console transcript has no use for it.
    logging.getLogger("alembic").setLevel(max(logging.WARNING, logging.getLevelName(level)))
