"""Export files written row by row: CSV, or JSON (an array with one object per line, so it is
valid JSON and can still be read back a line at a time). Nothing here holds more than one row.

Files go into a folder (the CLI) or a zip archive in memory (what a chat platform uploads).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, TextIO

Format = Literal["csv", "json"]
FORMATS: tuple[Format, ...] = ("csv", "json")
# The files of a channel's export, in the order an import reads them, and of a member's own.
CHANNEL_FILES = (
    "rounds",
    "answers",
    "votes",
    "reviews",
    "scores",
    "standings",
    "streak_events",
)
MEMBER_FILES = ("answers", "reviews", "scores")  # reviews the member gave and received
Opener = Callable[[str], AbstractContextManager[TextIO]]


def parse_format(text: str | None) -> Format:
    """``csv`` (the default) or ``json``; anything else is refused with the choices."""
    value = (text or "csv").strip().lower()
    if value == "csv":
        return "csv"
    if value == "json":
        return "json"
    raise ValueError(f"Unknown format '{value[:20]}': use csv or json.")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def write_csv(stream: TextIO, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow(["" if v is None else _plain(v) for v in row])
        count += 1
    return count


def write_json(stream: TextIO, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    stream.write("[")
    count = 0
    for row in rows:
        record = {name: _plain(value) for name, value in zip(columns, row, strict=True)}
        stream.write(("\n" if count == 0 else ",\n") + json.dumps(record, ensure_ascii=False))
        count += 1
    stream.write("\n]\n")
    return count


WRITERS = {"csv": write_csv, "json": write_json}


def folder_opener(folder: Path) -> Opener:
    folder.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def opener(name: str) -> Iterator[TextIO]:
        with (folder / name).open("w", encoding="utf-8", newline="") as stream:
            yield stream

    return opener


def zip_opener(archive: zipfile.ZipFile) -> Opener:
    @contextmanager
    def opener(name: str) -> Iterator[TextIO]:
        with archive.open(name, "w") as raw, io.TextIOWrapper(raw, "utf-8", newline="") as text:
            yield text

    return opener


def zipped(write: Callable[[Opener], None]) -> bytes:
    """What ``write`` puts through the opener, as the bytes of a zip archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        write(zip_opener(archive))
    return buffer.getvalue()


def read_rows(path: Path) -> Iterator[dict[str, str | Any]]:
    """An export file's rows as dicts, a line at a time (CSV values are strings)."""
    with path.open(encoding="utf-8", newline="") as stream:
        if path.suffix == ".csv":
            yield from csv.DictReader(stream)
            return
        for line in stream:
            text = line.strip().rstrip(",")
            if text not in {"[", "]", ""}:
                yield json.loads(text)
