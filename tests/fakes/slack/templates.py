"""Recorded Slack payload shapes (``payloads/*.json``) and small id/ts generators."""

from __future__ import annotations

import functools
import json
import secrets
import time
from pathlib import Path

from tests.fakes.slack.models import JSON, TsClock

PAYLOAD_DIR = Path(__file__).with_name("payloads")
_clock = TsClock(lane=1)


@functools.cache
def _template_text(name: str) -> str:
    return (PAYLOAD_DIR / f"{name}.json").read_text(encoding="utf-8")


def template(name: str) -> JSON:
    """A fresh deep copy of ``payloads/<name>.json``."""
    data = json.loads(_template_text(name))
    assert isinstance(data, dict)
    return data


def new_ts() -> str:
    """A Slack ts, unique within this process and never equal to one the fake assigns."""
    return _clock.next()


def new_trigger_id() -> str:
    return f"{int(time.time() * 1000)}.{secrets.randbelow(10**13):013d}.{secrets.token_hex(16)}"


def new_event_id() -> str:
    return "Ev" + secrets.token_hex(5).upper()


def new_client_msg_id() -> str:
    raw = secrets.token_hex(16)
    return f"{raw[:8]}-{raw[8:12]}-4{raw[13:16]}-a{raw[17:20]}-{raw[20:]}"


def rich_text(text: str) -> list[JSON]:
    """The ``blocks`` Slack attaches to a message a person typed."""
    section = {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}
    return [{"type": "rich_text", "block_id": secrets.token_hex(2), "elements": [section]}]
