"""Per-kind metadata: every shipped kind has a label, a time box and 3-6 steps; bad files are
refused naming the kind and field; custom kinds still get a label."""

from __future__ import annotations

from pathlib import Path

import pytest

from drills import Catalogue, DrillFileError, kind_info, kind_label, known_kinds, load_kinds

SHIPPED = {
    "live-debugging",
    "migration-review",
    "validate-after-shipping",
    "evaluate-proposal",
    "senior-vs-staff",
    "design-warmup",
    "code-review",
}


def test_every_shipped_kind_and_every_bank_kind_has_metadata(bank: Catalogue) -> None:
    assert set(known_kinds()) == SHIPPED
    assert set(bank.kinds()) <= SHIPPED
    for kind in SHIPPED:
        info = kind_info(kind)
        assert info is not None and info.time_box.endswith(" minutes")
        assert 3 <= len(info.scaffold) <= 6, kind


def test_labels() -> None:
    assert kind_label("design-warmup") == "Design warm-up"
    assert kind_label("code-review") == "Code review"
    assert kind_label("custom-thing") == "Custom thing"
    assert kind_info("custom-thing") is None


def test_the_packaged_file_is_read_once() -> None:
    assert kind_info("live-debugging") is kind_info("live-debugging")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('label = "X"\ntime_box = "5 minutes"\nscaffold = ["a b c", "d e f", "g h i"]', "label"),
        ('label = "Chaos"\ntime_box = "soon"\nscaffold = ["a b c", "d e f", "g h i"]', "time_box"),
        ('label = "Chaos"\ntime_box = "5 minutes"\nscaffold = ["a b c", "d e f"]', "scaffold"),
        ('label = "Chaos"\ntime_box = "5 minutes"\nscaffold = ["a b c"]\ncolour = 1', "colour"),
    ],
)
def test_a_bad_kind_is_refused_naming_the_field(tmp_path: Path, body: str, expected: str) -> None:
    path = tmp_path / "kinds.toml"
    path.write_text(f"[chaos-drill]\n{body}\n", encoding="utf-8")
    with pytest.raises(DrillFileError) as caught:
        load_kinds(path)
    assert any(f"kind chaos-drill: field '{expected}" in p for p in caught.value.problems)


def test_a_kind_must_be_a_slug(tmp_path: Path) -> None:
    path = tmp_path / "kinds.toml"
    path.write_text('["Not A Slug"]\nlabel = "Odd"\ntime_box = "5 minutes"\nscaffold = []\n')
    with pytest.raises(DrillFileError) as caught:
        load_kinds(path)
    assert "Not A Slug" in str(caught.value)
