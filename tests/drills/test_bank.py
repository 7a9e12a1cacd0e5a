"""The shipped bank: every rule a program can check (issue: a bank worth a year of practice)."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from datetime import UTC, datetime

import pytest

from bot.core.cards import DrillCard, ResultsCard
from bot.core.render import drill_text, results_text
from drills import Catalogue, Drill

MINIMUM = {
    "live-debugging": 20,
    "migration-review": 20,
    "validate-after-shipping": 20,
    "evaluate-proposal": 10,
    "senior-vs-staff": 10,
    "design-warmup": 10,
}
PREFIX = {
    "live-debugging": "ld-",
    "migration-review": "mr-",
    "validate-after-shipping": "vs-",
    "evaluate-proposal": "ep-",
    "senior-vs-staff": "ss-",
    "design-warmup": "dw-",
}
TAGS = {
    "caching",
    "databases",
    "messaging",
    "deploys",
    "observability",
    "security",
    "cost",
    "people",
    "networking",
    "storage",
    "api-design",
    "capacity",
    "reliability",
    "data-pipelines",
    "search",
    "mobile",
    "ml",
}
DISCORD_EMBED_DESCRIPTION = 4096
SLACK_SECTION_TEXT = 3000


@pytest.fixture(scope="module")
def drills(bank: Catalogue) -> list[Drill]:
    return list(bank.drills.values())


def test_counts_per_kind(drills):
    counts = Counter(d.kind for d in drills)
    assert len(drills) >= 90
    for kind, minimum in MINIMUM.items():
        assert counts[kind] >= minimum, kind


def test_each_drill_is_tickable_and_fits_one_message(drills):
    closes = datetime(2026, 11, 24, 9, tzinfo=UTC)
    for drill in drills:
        assert drill.id.startswith(PREFIX[drill.kind]), drill.id
        assert 4 <= len(drill.rubric) <= 6 and len(drill.follow_ups) == 2, drill.id
        assert set(drill.tags) <= TAGS, drill.id
        assert re.search(r"\d", drill.prompt), f"{drill.id}: the scenario needs numbers"
        card = drill_text(DrillCard(1, "daily", drill, closes, "UTC"))
        results = results_text(ResultsCard(1, drill, (), 0, 0))
        assert len(card) <= min(DISCORD_EMBED_DESCRIPTION, SLACK_SECTION_TEXT), drill.id
        assert len(results) <= DISCORD_EMBED_DESCRIPTION, drill.id


STOP_WORDS = set(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "for",
        "is",
        "are",
        "it",
        "its",
        "with",
        "you",
        "your",
        "this",
        "that",
        "at",
        "by",
        "from",
        "as",
        "be",
        "what",
        "how",
        "do",
        "we",
        "our",
        "they",
        "their",
        "have",
        "has",
        "was",
        "were",
        "will",
        "would",
        "which",
        "who",
        "when",
    ]
)
MAX_SIMILARITY = 0.4  # the bank's closest pair today is 0.27 (two design warm-ups)


def test_ids_titles_and_situations_are_distinct(drills):
    assert len({d.id for d in drills}) == len(drills)
    assert len({d.title.casefold() for d in drills}) == len(drills)
    words = {d.id: set(re.findall(r"[a-z0-9]+", d.prompt.lower())) - STOP_WORDS for d in drills}
    for first, second in itertools.combinations(words, 2):
        shared = len(words[first] & words[second]) / len(words[first] | words[second])
        assert shared < MAX_SIMILARITY, f"{first} and {second} read as the same situation"


def test_difficulties_and_areas_are_spread(drills):
    assert set(Counter(d.difficulty for d in drills)) == {1, 2, 3}
    assert len({tag for d in drills for tag in d.tags}) >= 12
