"""Malformed drill files are refused with the file, the drill id and the field named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drills import Catalogue, Drill, DrillFileError, load_bank, load_file, parse_drills

PROMPT = "The invoice worker queue grew from 200 to 48,000 messages in forty minutes. Why?"


def drill_toml(drill_id: str = "ld-invoice-queue", **overrides: str) -> str:
    """One ``[[drill]]`` table; each override replaces (or, if new, adds) a ``key = value`` line."""
    fields = {
        "id": f'"{drill_id}"',
        "kind": '"live-debugging"',
        "title": f'"Title of {drill_id}"',
        "difficulty": "2",
        "tags": '["messaging", "observability"]',
        "prompt": f'"{PROMPT}"',
        "rubric": '["Checks consumer throughput first", "Looks for a slow downstream call", '
        '"Separates mitigation from the fix"]',
        "follow_ups": '["What alert would have caught it earlier?"]',
    }
    fields.update(overrides)
    lines = ["[[drill]]"] + [f"{key} = {value}" for key, value in fields.items() if value]
    return "\n".join(lines) + "\n\n"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(DrillFileError) as caught:
        load_file(path)
    return caught.value.problems


def test_a_valid_file_loads(tmp_path: Path) -> None:
    path = write(tmp_path, "ok.toml", drill_toml("ld-one") + drill_toml("ld-two"))
    drills = load_file(path)
    assert [d.id for d in drills] == ["ld-one", "ld-two"]
    assert drills[0].difficulty == 2
    assert drills[0].tags == ("messaging", "observability")
    assert drills[0].prompt == PROMPT


def test_bad_toml_syntax_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.toml", drill_toml() + 'title = "unterminated\n')
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}: not valid TOML")


def test_missing_field(tmp_path: Path) -> None:
    path = write(tmp_path, "missing.toml", drill_toml("ld-no-prompt", prompt=""))
    [problem] = problems_of(path)
    assert problem == f"{path}: drill ld-no-prompt: field 'prompt': Field required"


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("difficulty", '"hard"', "field 'difficulty': Input should be a valid integer"),
        ("difficulty", "4", "field 'difficulty': Input should be less than or equal to 3"),
        ("difficulty", "0", "field 'difficulty': Input should be greater than or equal to 1"),
        ("tags", "7", "field 'tags': Input should be a valid tuple"),
        ("title", "12", "field 'title': Input should be a valid string"),
        (
            "rubric",
            '["Checks consumer throughput first", "Looks for a slow downstream call"]',
            "field 'rubric': Tuple should have at least 3 items",
        ),
        (
            "rubric",
            '["Checks consumer throughput first", "too short", "Separates mitigation from fix"]',
            # v1 strings load as {point = ...}, so the path names the point inside the item.
            "field 'rubric.1.point': String should have at least 10 characters",
        ),
        ("tags", '["Not A Slug"]', "field 'tags.0': String should match pattern"),
        ("colour", '"red"', "field 'colour': Extra inputs are not permitted"),
    ],
)
def test_bad_field(tmp_path: Path, field: str, value: str, expected: str) -> None:
    path = write(tmp_path, "bad.toml", drill_toml("ld-bad-field", **{field: value}))
    problems = problems_of(path)
    # An item that fails also shrinks its list below the minimum: pydantic reports both.
    assert problems[0].startswith(f"{path}: drill ld-bad-field: {expected}")
    assert all(p.startswith(f"{path}: drill ld-bad-field: field '{field}") for p in problems)


def test_every_problem_in_a_file_is_listed(tmp_path: Path) -> None:
    text = drill_toml("ld-first", difficulty="4") + drill_toml("ld-second", kind="", tags="[]")
    path = write(tmp_path, "many.toml", text)
    problems = problems_of(path)
    assert len(problems) == 3
    assert problems[0].startswith(f"{path}: drill ld-first: field 'difficulty'")
    assert problems[1].startswith(f"{path}: drill ld-second: field 'kind'")
    assert problems[2].startswith(f"{path}: drill ld-second: field 'tags'")
    assert str(DrillFileError(problems)) == "\n".join(problems)


def test_a_drill_without_id_is_named_by_position(tmp_path: Path) -> None:
    path = write(tmp_path, "noid.toml", drill_toml("ld-ok") + drill_toml("x", id=""))
    [problem] = problems_of(path)
    assert problem == f"{path}: drill #2: field 'id': Field required"


def test_other_top_level_tables_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "extra.toml", "[meta]\nauthor = 'me'\n\n" + drill_toml())
    [problem] = problems_of(path)
    assert problem == f"{path}: expected only [[drill]] tables, found ['meta']"


def test_unreadable_file(tmp_path: Path) -> None:
    [problem] = problems_of(tmp_path / "absent.toml")
    assert problem.startswith(f"{tmp_path / 'absent.toml'}: cannot read")


def test_duplicate_id_across_two_files(tmp_path: Path) -> None:
    write(tmp_path, "a.toml", drill_toml("ld-shared"))
    second = write(tmp_path, "b.toml", drill_toml("ld-other") + drill_toml("ld-shared"))
    with pytest.raises(DrillFileError) as caught:
        load_bank([tmp_path])
    assert caught.value.problems == [f"{second}: drill ld-shared: field 'id': duplicate id"]


def test_duplicate_title_ignores_case(tmp_path: Path) -> None:
    write(tmp_path, "a.toml", drill_toml("ld-first", title='"The Queue That Will Not Drain"'))
    second = write(
        tmp_path, "b.toml", drill_toml("ld-second", title='"the queue that will not drain"')
    )
    with pytest.raises(DrillFileError) as caught:
        load_bank([tmp_path])
    assert caught.value.problems == [
        f"{second}: drill ld-second: field 'title': same title as ld-first"
    ]


def test_load_bank_collects_problems_from_every_file(tmp_path: Path) -> None:
    first = write(tmp_path, "a.toml", drill_toml("ld-a", difficulty="9"))
    second = write(tmp_path, "b.toml", "not toml at all = = =")
    write(tmp_path, "notes.txt", "ignored: not a .toml file")
    with pytest.raises(DrillFileError) as caught:
        load_bank([tmp_path])
    problems = caught.value.problems
    assert len(problems) == 2
    assert problems[0].startswith(f"{first}: drill ld-a: field 'difficulty'")
    assert problems[1].startswith(f"{second}: not valid TOML")


def test_load_bank_merges_folders(tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    write(tmp_path / "one", "a.toml", drill_toml("ld-a"))
    write(tmp_path / "two", "b.toml", drill_toml("ld-b", kind='"design-warmup"'))
    catalogue = load_bank([tmp_path / "one", tmp_path / "two"])
    assert list(catalogue.drills) == ["ld-a", "ld-b"]
    assert catalogue.kinds() == ["design-warmup", "live-debugging"]
    assert catalogue.by_kind() == {"live-debugging": ["ld-a"], "design-warmup": ["ld-b"]}
    assert len(catalogue) == 2


# --- JSON, as `drillbot drills export` writes it ------------------------------------------------


def export_json(drills: list[Drill]) -> str:
    return json.dumps([d.model_dump(mode="json") for d in drills], indent=2)


def test_json_export_reimports_unchanged(tmp_path: Path) -> None:
    drills = load_file(write(tmp_path, "a.toml", drill_toml("ld-one") + drill_toml("ld-two")))
    path = write(tmp_path, "export.json", export_json(drills))
    assert load_file(path) == drills


def test_json_export_reimported_into_the_same_bank_is_a_duplicate(tmp_path: Path) -> None:
    bank = load_bank([write(tmp_path, "a.toml", drill_toml("ld-one")).parent])
    path = write(tmp_path, "export.json", export_json(list(bank.drills.values())))
    with pytest.raises(DrillFileError) as caught:
        Catalogue.of(load_file(path), known=bank, source=str(path))
    assert caught.value.problems == [f"{path}: drill ld-one: field 'id': duplicate id"]


def test_edited_json_export_names_the_field(tmp_path: Path) -> None:
    drills = load_file(write(tmp_path, "a.toml", drill_toml("ld-one")))
    data = json.loads(export_json(drills))
    data[0]["difficulty"] = 5
    data[0]["owner"] = "me"
    path = write(tmp_path, "export.json", json.dumps(data))
    problems = problems_of(path)
    assert problems == [
        f"{path}: drill ld-one: field 'difficulty': Input should be less than or equal to 3",
        f"{path}: drill ld-one: field 'owner': Extra inputs are not permitted",
    ]


def test_json_must_be_a_list(tmp_path: Path) -> None:
    path = write(tmp_path, "export.json", '{"id": "ld-one"}')
    assert problems_of(path) == [f"{path}: a JSON drill file must hold a list of drills"]


def test_bad_json_syntax(tmp_path: Path) -> None:
    path = write(tmp_path, "export.json", "[{")
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}: not valid JSON")


def test_parse_drills_refuses_non_tables() -> None:
    with pytest.raises(DrillFileError) as caught:
        parse_drills(["just a string"], "paste")
    assert caught.value.problems == ["paste: drill #1: must be a table of fields"]
