"""Read drill files into validated ``Drill`` objects, naming the file, drill and field at fault."""

from __future__ import annotations

import json
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from drills import bank_cache
from drills.bank_cache import BANK_DIR, CachedBank, Sources, read_sources
from drills.schema import Drill, upgrade_hints

__all__ = ["BANK_DIR", "Catalogue", "DrillFileError", "load_bank", "load_file", "parse_drills"]


class DrillFileError(Exception):
    """Every problem found in one or more drill files, one line each."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


def parse_drills(entries: Iterable[Any], source: str) -> list[Drill]:
    """Validate raw drill tables; raises ``DrillFileError`` listing every bad field."""
    drills: list[Drill] = []
    problems: list[str] = []
    for position, entry in enumerate(entries, start=1):
        if not isinstance(entry, Mapping):
            problems.append(f"{source}: drill #{position}: must be a table of fields")
            continue
        drill_id = entry.get("id") or f"#{position}"
        try:
            drills.append(Drill.model_validate(dict(entry)))
        except ValidationError as error:
            problems.extend(_describe(source, str(drill_id), error))
    if problems:
        raise DrillFileError(problems)
    return drills


def _describe(source: str, drill_id: str, error: ValidationError) -> list[str]:
    lines = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "(drill)"
        lines.append(f"{source}: drill {drill_id}: field '{where}': {item['msg']}")
    return lines


def load_file(path: Path) -> list[Drill]:
    """A TOML file of ``[[drill]]`` tables, or a JSON list of drills (as ``drills export`` writes)."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DrillFileError([f"{path}: cannot read: {error.strerror}"]) from error
    return parse_source(path, raw)


def parse_source(path: Path, raw: bytes) -> list[Drill]:
    """The drills in one file's bytes; ``path`` names the file and its format."""
    try:
        entries = _decode(path, raw)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, UnicodeDecodeError) as error:
        raise DrillFileError([f"{path}: not valid {_format(path)}: {error}"]) from error
    return parse_drills(entries, str(path))


def _format(path: Path) -> str:
    return "JSON" if path.suffix == ".json" else "TOML"


def _decode(path: Path, raw: bytes) -> list[Any]:
    if path.suffix == ".json":
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, list):
            raise DrillFileError([f"{path}: a JSON drill file must hold a list of drills"])
        return data
    table = tomllib.loads(raw.decode("utf-8"))
    entries = table.get("drill", [])
    extra = sorted(set(table) - {"drill"})
    if extra or not isinstance(entries, list):
        raise DrillFileError([f"{path}: expected only [[drill]] tables, found {extra or 'drill'}"])
    return entries


@dataclass(frozen=True)
class Catalogue:
    """Drills by id, kept in a stable order."""

    drills: Mapping[str, Drill] = field(default_factory=dict)

    @classmethod
    def of(
        cls, drills: Iterable[Drill], known: Catalogue | None = None, source: str = "drills"
    ) -> Catalogue:
        """Build a catalogue, refusing ids or titles that repeat (also against ``known``)."""
        merged: dict[str, Drill] = dict(known.drills) if known else {}
        titles = {d.title.casefold(): d.id for d in merged.values()}
        problems = []
        for drill in drills:
            if drill.id in merged:
                problems.append(f"{source}: drill {drill.id}: field 'id': duplicate id")
            elif drill.title.casefold() in titles:
                other = titles[drill.title.casefold()]
                problems.append(f"{source}: drill {drill.id}: field 'title': same title as {other}")
            merged[drill.id] = drill
            titles.setdefault(drill.title.casefold(), drill.id)
        if problems:
            raise DrillFileError(problems)
        return cls(merged)

    def get(self, drill_id: str) -> Drill | None:
        return self.drills.get(drill_id)

    def kinds(self) -> list[str]:
        return sorted({d.kind for d in self.drills.values()})

    def by_kind(self) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = defaultdict(list)
        for drill in self.drills.values():
            grouped[drill.kind].append(drill.id)
        return dict(grouped)

    def __len__(self) -> int:
        return len(self.drills)


def load_bank(folders: Sequence[Path] = (BANK_DIR,)) -> Catalogue:
    """Every ``*.toml`` under the folders; collects all problems before raising.

    The validated bank is cached (``drills.bank_cache``): unchanged files are not parsed again.
    """
    cached = bank_cache.read(folders)
    if cached is not None:
        try:
            return Catalogue({d.id: d for d in map(Drill.model_validate, cached.drills)})
        except ValidationError:
            pass  # not what this code would have written: validate the files themselves
    return validate_bank(folders)[0]


def validate_bank(folders: Sequence[Path]) -> tuple[Catalogue, CachedBank]:
    """Read and validate every file (no cache), then cache the result for these folders."""
    try:
        sources = read_sources(folders)
    except OSError as error:
        raise DrillFileError([f"{error.filename}: cannot read: {error.strerror}"]) from error
    return _validate(sources, folders)


def _validate(sources: Sources, folders: Sequence[Path]) -> tuple[Catalogue, CachedBank]:
    catalogue = Catalogue()
    problems: list[str] = []
    for path, raw in sources:
        try:
            catalogue = Catalogue.of(parse_source(path, raw), known=catalogue, source=str(path))
        except DrillFileError as error:
            problems.extend(error.problems)
    if problems:
        raise DrillFileError(problems)
    drills = list(catalogue.drills.values())
    notes = [note for drill in drills for note in upgrade_hints(drill)]
    cached = CachedBank([drill.model_dump(mode="json") for drill in drills], notes)
    bank_cache.write(folders, sources, cached)
    return catalogue, cached
