"""Drills for rendering tests: a small v2 drill, and the longest drill the schema allows, written
in hostile text (mass mentions, Slack markup, markdown) so limits are checked at their worst."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import cycle, islice
from typing import Any

from bot.core.model import AnswerTally
from drills import Drill

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
# Each piece grows when escaped: a mention gains a zero-width space, "&<>" become entities.
HOSTILE = "@everyone <!here> a&b <x> *y* "
SKETCH_WORDS = ("<!here>", "@here12", "a&b&c&d", "longest")


def hostile(length: int) -> str:
    """Exactly ``length`` characters of hostile text, ending in a letter."""
    return "".join(islice(cycle(HOSTILE), length - 1)) + "z"


def v2_drill(**overrides: Any) -> Drill:
    fields: dict[str, Any] = {
        "id": "ld-invoice-queue-v2",
        "kind": "live-debugging",
        "title": "The invoice queue that will not drain",
        "difficulty": 2,
        "tags": ("messaging", "observability"),
        "prompt": "The invoice worker queue has grown from 200 to 48,000 messages in forty minutes.",
        "facts": [
            {"ask": "What changed today?", "answer": "A config push at 13:20 lowered a pool size."},
            {"ask": "What do workers log?", "answer": "Timeouts calling the tax service, 30 s."},
            {
                "ask": "Is anything else slow?",
                "answer": "The tax service p99 went from 80 ms to 9 s.",
            },
        ],
        "rubric": [
            {"point": "Checks consumer throughput before producers", "weight": 2},
            {"point": "Separates mitigation from the root-cause fix"},
            {"point": "Sets an alert on queue age for every queue", "level": "staff"},
        ],
        "red_flags": ["Scales producers down without looking at the consumers"],
        "strong_answer": " ".join(["Mitigate first, then find what changed with data."] * 8),
        "follow_ups": [
            {"ask": "300 invoices went out twice. What now?", "probe": "failure-mode"},
            {"ask": "What alert would have caught this earlier?", "probe": "measurement"},
        ],
    }
    fields.update(overrides)
    return Drill.model_validate(fields)


def longest_drill() -> Drill:
    """Every field at the schema's maximum: 1,800-character prompt, 6 rubric points and 3 red flags
    of 200 characters, a 150-word sketch of long words, 3 follow-ups of 300, 8 facts."""
    return v2_drill(
        id="ld-" + "x" * 61,
        title=hostile(100),
        difficulty=3,
        tags=tuple(f"{letter}-" + "t" * 38 for letter in "abcde"),
        prompt=hostile(1800),
        facts=[{"ask": hostile(160), "answer": hostile(400)} for _ in range(8)],
        rubric=[
            {"point": hostile(200), "level": "staff" if n == 5 else "senior", "weight": 3}
            for n in range(6)
        ],
        red_flags=[hostile(200) for _ in range(3)],
        strong_answer=" ".join(islice(cycle(SKETCH_WORDS), 150)),
        follow_ups=[{"ask": hostile(300), "probe": "failure-mode"} for _ in range(3)],
    )


def longest_tallies() -> tuple[AnswerTally, ...]:
    """Three top answers with long hostile names and answers at the stored maximum."""
    return tuple(
        AnswerTally(n, n, hostile(90), hostile(16_000), 3, T0, str(1000 + n)) for n in range(1, 4)
    )
