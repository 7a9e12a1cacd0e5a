"""The validated drill bank, kept as JSON beside a fingerprint of everything that produced it.

Reading the bank's TOML and building the schema cost a quarter of a second; ``drillbot drills
list`` and ``drillbot check`` read this file instead, with the standard library alone. The
fingerprint covers the bytes of every drill file in every folder, the code that validates them
and pydantic's version, so any change to one of them is a miss and the bank is validated afresh.
A cache that cannot be read or written is no cache: nothing fails for want of it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BANK_DIR = HERE / "bank"
FORMAT = "drillbot-bank-1"
# The code whose output the cache holds: a change to any of them invalidates it.
VALIDATORS = (HERE / "schema.py", HERE / "loader.py", Path(__file__).resolve())

Sources = list[tuple[Path, bytes]]


@dataclass(frozen=True)
class CachedBank:
    """Validated drills as JSON objects in the bank's order, and the notes ``check`` prints."""

    drills: list[dict[str, Any]]
    notes: list[str]


def bank_folders(custom: Path | None) -> list[Path]:
    """The shipped bank, then the deployment's own folder when one is set."""
    return [BANK_DIR] if custom is None else [BANK_DIR, custom]


def read_sources(folders: Sequence[Path]) -> Sources:
    """Every drill file's bytes, in load order (read once: parsed and fingerprinted alike)."""
    return [(path, path.read_bytes()) for folder in folders for path in drill_files(folder)]


def drill_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.toml"))


def fingerprint(sources: Sources) -> str:
    digest = hashlib.sha256(FORMAT.encode())
    for part in [_pydantic_version(), *(path.read_bytes() for path in VALIDATORS)]:
        digest.update(len(part).to_bytes(8, "big") + part)
    for path, raw in sources:
        for part in (str(path).encode(), raw):
            digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def _pydantic_version() -> bytes:
    """pydantic's version file, read without importing pydantic (it pins pydantic-core)."""
    spec = find_spec("pydantic")
    if spec is None or spec.origin is None:
        return b""
    return (Path(spec.origin).parent / "version.py").read_bytes()


def read(folders: Sequence[Path]) -> CachedBank | None:
    """The cached bank if it was made from exactly these files by this code, else None."""
    try:
        wanted = fingerprint(read_sources(folders))
        stored = json.loads(_cache_file(folders).read_bytes())
        if stored["fingerprint"] != wanted:
            return None
        return CachedBank(list(stored["drills"]), list(stored["notes"]))
    except (OSError, RuntimeError, ValueError, KeyError, TypeError):
        return None


def write(folders: Sequence[Path], sources: Sources, bank: CachedBank) -> None:
    """Keep ``bank``, validated from ``sources`` (so a file edited meanwhile is a miss next time)."""
    body = {"fingerprint": fingerprint(sources), "drills": bank.drills, "notes": bank.notes}
    # A read-only home or disk: every start validates the bank, as without a cache.
    with contextlib.suppress(OSError, RuntimeError):
        _replace_whole(_cache_file(folders), json.dumps(body))


def _replace_whole(target: Path, text: str) -> None:
    """Write beside ``target``, then rename over it: a reader never sees half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)


def _cache_file(folders: Sequence[Path]) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    which = hashlib.sha256("\0".join(str(f.resolve()) for f in folders).encode()).hexdigest()
    return Path(base) / "drillbot" / f"bank-{which[:16]}.json"


def cached_bank(folders: Sequence[Path]) -> CachedBank:
    """The bank from the cache; on a miss, validated in full (and cached for next time)."""
    found = read(folders)
    if found is not None:
        return found
    from drills.loader import validate_bank  # pydantic and the schema: only on a miss

    return validate_bank(folders)[1]
