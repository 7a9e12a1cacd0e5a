"""Load the JSON payload templates in ``payloads/`` and fill their placeholders.

A template is a complete Discord payload in which some values are placeholders: a JSON
string that is exactly ``"{name}"``. :func:`render` replaces each placeholder with the
value given for ``name`` (any JSON value, not only strings). A value of :data:`OMIT`
removes the key altogether, which is how optional fields that Discord leaves out are
handled. A placeholder without a value is a bug in the fake and raises ``KeyError``.
"""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from pathlib import Path
from typing import Any, Final

PAYLOAD_DIR: Final = Path(__file__).with_name("payloads")
_PLACEHOLDER: Final = re.compile(r"^\{([a-z_]+)\}$")


class _Omit:
    """Sentinel: drop the key that holds the placeholder."""

    def __repr__(self) -> str:
        return "OMIT"


OMIT: Final = _Omit()


@cache
def _load(name: str) -> Any:
    with (PAYLOAD_DIR / f"{name}.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def template(name: str) -> Any:
    """A fresh deep copy of ``payloads/<name>.json`` with placeholders unfilled."""
    return copy.deepcopy(_load(name))


def render(template_name: str, /, **values: Any) -> dict[str, Any]:
    """Load ``payloads/<template_name>.json`` and fill every placeholder from ``values``."""
    filled = _fill(template(template_name), values)
    assert isinstance(filled, dict)
    return filled


def _fill(node: Any, values: dict[str, Any]) -> Any:
    if isinstance(node, str):
        match = _PLACEHOLDER.match(node)
        if match is None:
            return node
        return values[match.group(1)]
    if isinstance(node, list):
        return [_fill(item, values) for item in node]
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, item in node.items():
            value = _fill(item, values)
            if value is not OMIT:
                out[key] = value
        return out
    return node
