"""Per-kind metadata from ``drills/kinds.toml``: a label, a time box and the steps a strong answer
walks through. Custom kinds need no entry: their label comes from the slug."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from drills.loader import DrillFileError
from drills.schema import SLUG

KINDS_FILE = Path(__file__).resolve().parent / "kinds.toml"
SCAFFOLD_STEPS = (3, 6)

Step = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=40)]
KindSlug = Annotated[str, StringConstraints(pattern=SLUG)]


class KindInfo(BaseModel):
    """What one kind of drill asks of an answer."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    label: str = Field(min_length=3, max_length=40)
    time_box: str = Field(pattern=r"^[1-9][0-9]? minutes$")
    scaffold: tuple[Step, ...] = Field(min_length=SCAFFOLD_STEPS[0], max_length=SCAFFOLD_STEPS[1])


_KINDS = TypeAdapter(dict[KindSlug, KindInfo])


def load_kinds(path: Path = KINDS_FILE) -> dict[str, KindInfo]:
    """Every kind in a kinds file; raises ``DrillFileError`` naming the kind and field at fault."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise DrillFileError([f"{path}: cannot read kinds: {error}"]) from error
    try:
        return _KINDS.validate_python(raw)
    except ValidationError as error:
        raise DrillFileError([_describe(path, item) for item in error.errors()]) from error


def _describe(path: Path, item: ErrorDetails) -> str:
    location = [str(part) for part in item["loc"]]
    kind, field = (location[0], ".".join(location[1:])) if location else ("?", "")
    # pydantic reports a bad table name as the field "[key]".
    field = "(name)" if field in {"", "[key]"} else field
    return f"{path}: kind {kind}: field '{field}': {item['msg']}"


@cache
def _packaged() -> Mapping[str, KindInfo]:
    # Read once: the file ships with the package and does not change while the bot runs.
    return load_kinds()


def kind_info(kind: str) -> KindInfo | None:
    """The shipped metadata for ``kind``; None for a custom kind."""
    return _packaged().get(kind)


def kind_label(kind: str) -> str:
    info = kind_info(kind)
    return info.label if info else kind.replace("-", " ").capitalize()


def known_kinds() -> tuple[str, ...]:
    return tuple(_packaged())
