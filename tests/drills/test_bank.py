"""The shipped bank: every rule a program can check (drill bank v2)."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from datetime import UTC, datetime

import pytest

from bot.core.cards import DrillCard, ResultsCard
from bot.core.render import drill_text, results_text
from bot.core.vocab import RoundMode
from drills import Catalogue, Drill, arithmetic
from drills.balance import (
    MAX_TOPIC_SHARE,
    MIN_PROBE_SHARE,
    REQUIRED_TAGS,
    imbalances,
    probe_shares,
    topic_shares,
)
from drills.schema import FACT_KINDS, Level

MINIMUM = {
    "live-debugging": 20,
    "migration-review": 20,
    "validate-after-shipping": 20,
    "evaluate-proposal": 20,
    "senior-vs-staff": 20,
    "design-warmup": 20,
    "code-review": 10,
}
PREFIX = {
    "live-debugging": "ld-",
    "migration-review": "mr-",
    "validate-after-shipping": "vs-",
    "evaluate-proposal": "ep-",
    "senior-vs-staff": "ss-",
    "design-warmup": "dw-",
    "code-review": "cr-",
}
DISCORD_EMBED_DESCRIPTION = 4096
SLACK_SECTION_TEXT = 3000


@pytest.fixture(scope="module")
def drills(bank: Catalogue) -> list[Drill]:
    return list(bank.drills.values())


def test_counts_per_kind(drills):
    counts = Counter(d.kind for d in drills)
    assert len(drills) >= 160
    assert set(counts) == set(MINIMUM)
    for kind, minimum in MINIMUM.items():
        assert counts[kind] >= minimum, kind


def test_every_shipped_drill_is_v2_with_levels_flags_and_a_sketch(drills):
    for drill in drills:
        assert drill.version == 2, drill.id
        assert drill.id.startswith(PREFIX[drill.kind]), drill.id
        assert drill.points_at(Level.SENIOR), drill.id
        assert drill.difficulty == 1 or drill.points_at(Level.STAFF), drill.id
        assert 1 <= len(drill.red_flags) <= 3 and drill.strong_answer, drill.id
        assert all(f.probe is not None for f in drill.follow_ups), drill.id


def test_interview_kinds_keep_the_cause_and_figures_in_the_facts(drills):
    for drill in drills:
        if drill.kind in FACT_KINDS:
            assert len(drill.facts) >= 3, drill.id
    warmups = [d for d in drills if d.kind == "design-warmup"]
    assert all(not re.search(r"\d", d.prompt.replace("Five-minute", "")) for d in warmups)


def test_probes_are_balanced_in_every_kind(drills):
    for kind in MINIMUM:
        shares = probe_shares([d for d in drills if d.kind == kind])
        assert min(shares.values()) >= MIN_PROBE_SHARE, (kind, shares)


def test_no_technology_or_domain_dominates_and_every_topic_is_covered(drills):
    assert max(topic_shares(drills).values()) <= MAX_TOPIC_SHARE
    tags = {tag for d in drills for tag in d.tags}
    assert set(REQUIRED_TAGS) <= tags
    assert imbalances(drills) == []


def test_the_worked_arithmetic_still_holds(drills):
    checks = arithmetic.load_checks()
    assert len(checks) >= len(drills)  # most drills state computed figures
    assert arithmetic.problems(checks, {d.id: d for d in drills}) == []


def test_each_drill_fits_one_message(drills):
    closes = datetime(2026, 11, 24, 9, tzinfo=UTC)
    for drill in drills:
        card = drill_text(DrillCard(1, RoundMode.DAILY, drill, closes, "UTC"))
        results = results_text(ResultsCard(1, drill, (), 0, 0))
        assert len(card) <= min(DISCORD_EMBED_DESCRIPTION, SLACK_SECTION_TEXT), drill.id
        assert len(results) <= 2 * DISCORD_EMBED_DESCRIPTION, drill.id


STOP_WORDS = frozenset(
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
MAX_SIMILARITY = 0.4


def _situation_words(drill: Drill) -> set[str]:
    """A warm-up's prompt is only the vague request: its situation includes the facts."""
    text = " ".join([drill.prompt, *(fact.answer for fact in drill.facts)]).lower()
    return set(re.findall(r"[a-z0-9]+", text)) - STOP_WORDS


def test_ids_titles_and_situations_are_distinct(drills):
    assert len({d.id for d in drills}) == len(drills)
    assert len({d.title.casefold() for d in drills}) == len(drills)
    words = {d.id: _situation_words(d) for d in drills}
    for first, second in itertools.combinations(words, 2):
        shared = len(words[first] & words[second]) / len(words[first] | words[second])
        assert shared < MAX_SIMILARITY, f"{first} and {second} read as the same situation"


def test_difficulties_and_areas_are_spread(drills):
    assert set(Counter(d.difficulty for d in drills)) == {1, 2, 3}
    assert len({tag for d in drills for tag in d.tags}) >= 30
