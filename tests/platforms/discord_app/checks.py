"""What every Discord test checks on the fake: Discord's limits, mentions and ephemeral replies,
and payload shapes against the recorded ones in ``payloads/``."""

from __future__ import annotations

import json
import os
import re
from typing import Any

from tests.fakes.discord import FakeDiscord, RecordedRequest
from tests.platforms.discord_app.helpers import CALLBACK, FOLLOWUP, MESSAGES, PAYLOADS

NO_PINGS = {"parse": []}
_KEEP_STRINGS = ("label", "custom_id", "type")
_KEEP_INTS = ("type", "style", "flags", "auto_archive_duration")


def sent_messages(fake: FakeDiscord) -> list[RecordedRequest]:
    """Every message the bot created: channel posts, interaction replies and followups."""
    found = fake.requests_to("POST", MESSAGES) + fake.requests_to("POST", FOLLOWUP)
    found += [r for r in fake.requests_to("POST", CALLBACK) if r.json.get("type") in (4, 7)]
    return found


def assert_clean(fake: FakeDiscord) -> None:
    """No Discord limit broken, and nothing the bot sent could ping anyone."""
    assert not fake.violations, "\n".join(fake.violations)
    for request in sent_messages(fake):
        body = request.json if request.json.get("type") is None else request.json["data"]
        allowed = dict(body.get("allowed_mentions") or {})
        replied = allowed.pop("replied_user", False)  # a quiet reply names no one either
        assert allowed == NO_PINGS and not replied, f"{request.path}: {body}"


def shape(value: Any, key: str | None = None) -> Any:
    """A payload with its varying values masked: strings become "<str>" (types, labels and
    custom_ids keep their text with digits as #), numbers "<int>" except types, styles and flags."""
    if isinstance(value, dict):
        return {k: shape(v, k) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [shape(item, key) for item in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        return re.sub(r"\d+", "#", value) if key in _KEEP_STRINGS else "<str>"
    if isinstance(value, int):
        return value if key in _KEEP_INTS else "<int>"
    return value


def assert_shape(name: str, body: Any) -> None:
    """Compare with ``payloads/<name>.json``; ``DRILLBOT_REGENERATE=1`` rewrites it (review the diff)."""
    path = PAYLOADS / f"{name}.json"
    actual = shape(body)
    if os.environ.get("DRILLBOT_REGENERATE") == "1":
        path.write_text(json.dumps(actual, indent=2) + "\n", encoding="utf-8")
    assert actual == json.loads(path.read_text(encoding="utf-8"))
