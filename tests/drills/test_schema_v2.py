"""Schema v2 fields: facts, levelled rubric points, red flags, a strong answer, probe-tagged
follow-ups; each malformed variant is refused with the file, drill and field named, and a
version-1 drill still loads with documented defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from drills import load_file, upgrade_hints
from drills.describe import full_text
from drills.schema import Level, Probe
from tests.drills.test_loader import drill_toml, problems_of, write

SKETCH = '"' + " ".join(["word"] * 80) + '"'
V2 = {
    "facts": '[{ask = "What changed today?", answer = "A tax lookup shipped at 13:00."},'
    '{ask = "What do workers show?", answer = "12% CPU, handling time up 50x."},'
    '{ask = "Are producers faster?", answer = "No, 30 messages a second as always."}]',
    "rubric": '[{point = "Checks consumer throughput first", level = "senior"},'
    '{point = "Connects the new external call to the slowdown", level = "senior", weight = 2},'
    '{point = "Gives finance an ETA and a fallback plan", level = "staff", weight = 3}]',
    "red_flags": '["Scales workers tenfold without asking why"]',
    "strong_answer": SKETCH,
    "follow_ups": '[{ask = "What alert would have caught it earlier?", probe = "measurement"},'
    '{ask = "How do you ship the lookup again safely?", probe = "rollout"}]',
}


def test_a_v2_drill_loads_every_field(tmp_path: Path) -> None:
    [drill] = load_file(write(tmp_path, "v2.toml", drill_toml("ld-v2", **V2)))
    assert drill.version == 2 and upgrade_hints(drill) == []
    assert drill.facts[0].ask == "What changed today?"
    assert [(p.level, p.weight) for p in drill.rubric] == [
        (Level.SENIOR, 1),
        (Level.SENIOR, 2),
        (Level.STAFF, 3),
    ]
    assert [f.probe for f in drill.follow_ups] == [Probe.MEASUREMENT, Probe.ROLLOUT]
    shown = full_text(drill)
    for part in ("Facts on request:", "Rubric, staff bar:", "(x3)", "Red flags:", "[rollout]"):
        assert part in shown


def test_a_v1_drill_loads_with_defaults_and_an_upgrade_hint(tmp_path: Path) -> None:
    [drill] = load_file(write(tmp_path, "v1.toml", drill_toml("ld-v1")))
    assert drill.version == 1
    assert all(p.level is Level.SENIOR and p.weight == 1 for p in drill.rubric)
    assert all(f.probe is None for f in drill.follow_ups) and not drill.facts
    [hint] = upgrade_hints(drill)
    assert "drill ld-v1: format v1" in hint and "drills/README.md" in hint


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            {"rubric": '[{point = "Checks consumer throughput", level = "principal"}]'},
            "field 'rubric.0.level'",
        ),
        (
            {"rubric": '[{point = "Checks consumer throughput", weight = 4}]'},
            "field 'rubric.0.weight'",
        ),
        ({"rubric": '[{level = "staff"}]'}, "field 'rubric.0.point': Field required"),
        ({"facts": '[{ask = "What changed?"}]'}, "field 'facts.0.answer': Field required"),
        ({"facts": '[{ask = "Why?", answer = "Because of a deploy"}]'}, "field 'facts.0.ask'"),
        ({"red_flags": '["a", "b", "c", "d"]'}, "field 'red_flags"),
        (
            {"strong_answer": '"far too short"'},
            "field 'strong_answer': Value error, must be 60-150 words, has 3",
        ),
        (
            {"follow_ups": '[{ask = "What alert would catch it?", probe = "vibes"}]'},
            "field 'follow_ups.0.probe'",
        ),
        ({"colour": '"red"'}, "field 'colour': Extra inputs are not permitted"),
    ],
)
def test_malformed_v2_fields_are_named(
    tmp_path: Path, overrides: dict[str, str], expected: str
) -> None:
    path = write(tmp_path, "bad.toml", drill_toml("ld-bad-v2", **{**V2, **overrides}))
    problems = problems_of(path)
    assert any(p.startswith(f"{path}: drill ld-bad-v2: {expected}") for p in problems), problems


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            {
                "rubric": '[{point = "Checks consumer throughput", level = "senior"}] ' * 0
                + '["Checks consumer throughput first", "Looks for a slow downstream call", "Separates mitigation from fix"]'
            },
            "difficulty 2-3 needs at least one staff-level point",
        ),
        ({"red_flags": "[]"}, "a v2 drill needs 1-3 red flags"),
        ({"strong_answer": ""}, "a v2 drill needs a strong-answer sketch"),
        (
            {
                "follow_ups": '["What alert would have caught it earlier?", "What would you tell finance?"]'
            },
            "each with a probe",
        ),
        (
            {"facts": '[{ask = "What changed today?", answer = "A tax lookup shipped."}]'},
            "a live-debugging drill needs at least 3 facts",
        ),
    ],
)
def test_v2_rules_across_fields_are_named(
    tmp_path: Path, overrides: dict[str, str], expected: str
) -> None:
    path = write(tmp_path, "rules.toml", drill_toml("ld-rules", **{**V2, **overrides}))
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}: drill ld-rules: field '(drill)'") and expected in problem
