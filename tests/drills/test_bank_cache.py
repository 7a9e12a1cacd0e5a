"""The cached bank: the same drills as a fresh validation, and never stale."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from drills import BANK_DIR, DrillFileError, bank_cache, load_bank, upgrade_hints
from drills.bank_cache import cached_bank
from drills.loader import validate_bank
from tests.drills.test_loader import drill_toml, write


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


def custom_folder(tmp_path: Path, *tables: str) -> list[Path]:
    folder = tmp_path / "ours"
    folder.mkdir(exist_ok=True)
    write(folder, "ours.toml", "".join(tables))
    return [BANK_DIR, folder]


def test_a_cached_bank_is_the_bank_validated_afresh(tmp_path: Path) -> None:
    folders = custom_folder(tmp_path, drill_toml("ld-ours-one"))
    assert bank_cache.read(folders) is None
    fresh = load_bank(folders)
    assert bank_cache.read(folders) is not None
    cached = load_bank(folders)
    assert list(cached.drills) == list(fresh.drills) and cached.drills == fresh.drills
    summary = cached_bank(folders)
    assert summary.drills == [drill.model_dump(mode="json") for drill in fresh.drills.values()]
    assert summary.notes == [n for d in fresh.drills.values() for n in upgrade_hints(d)]
    assert any("drill ld-ours-one: format v1" in note for note in summary.notes)


def test_an_edit_that_keeps_size_and_time_is_seen(tmp_path: Path) -> None:
    folders = custom_folder(tmp_path, drill_toml("ld-ours-one"))
    load_bank(folders)
    path = folders[1] / "ours.toml"
    before = path.stat()
    path.write_text(path.read_text().replace("Title of", "Title on"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert load_bank(folders).drills["ld-ours-one"].title == "Title on ld-ours-one"
    assert cached_bank(folders).drills[-1]["title"] == "Title on ld-ours-one"


def test_a_broken_file_is_refused_though_a_good_bank_was_cached(tmp_path: Path) -> None:
    folders = custom_folder(tmp_path, drill_toml("ld-ours-one"))
    cached_bank(folders)
    write(folders[1], "more.toml", drill_toml("ld-ours-two", title='"Hi"'))
    for load in (load_bank, cached_bank):
        with pytest.raises(DrillFileError, match="ld-ours-two: field 'title'"):
            load(folders)


def test_a_new_file_and_a_removed_file_are_seen(tmp_path: Path) -> None:
    folders = custom_folder(tmp_path, drill_toml("ld-ours-one"))
    shipped = len(cached_bank(folders).drills)
    extra = write(folders[1], "more.toml", drill_toml("ld-ours-two"))
    assert len(cached_bank(folders).drills) == shipped + 1
    extra.unlink()
    assert len(cached_bank(folders).drills) == shipped


def test_a_change_to_the_validating_code_is_a_miss(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    schema = write(tmp_path, "schema.py", "LIMIT = 100\n")
    monkeypatch.setattr(bank_cache, "VALIDATORS", (schema,))
    validate_bank([BANK_DIR])
    assert bank_cache.read([BANK_DIR]) is not None
    schema.write_text("LIMIT = 101\n")
    assert bank_cache.read([BANK_DIR]) is None


def test_a_corrupt_cache_is_a_miss(own_cache: Path) -> None:
    validate_bank([BANK_DIR])
    (cache_file,) = (own_cache / "drillbot").glob("bank-*.json")
    cache_file.write_text('{"fingerprint": ')
    assert bank_cache.read([BANK_DIR]) is None
    assert len(cached_bank([BANK_DIR]).drills) == len(load_bank())


def test_a_cache_that_cannot_be_written_is_no_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = write(tmp_path, "a-file", "not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert len(load_bank()) == len(cached_bank([BANK_DIR]).drills) > 0
    assert bank_cache.read([BANK_DIR]) is None
