"""The drill bank: TOML content files, their schema and their loader, and per-kind metadata.

Each name is imported on first use (PEP 562): ``drillbot drills list`` reads the cached bank
(``drills.bank_cache``) with the standard library alone, without building the pydantic schema.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from drills.bank_cache import BANK_DIR
    from drills.kinds import KindInfo, kind_info, kind_label, known_kinds, load_kinds
    from drills.loader import Catalogue, DrillFileError, load_bank, load_file, parse_drills
    from drills.schema import Drill, FollowUp, Level, RubricPoint, upgrade_hints

_HOMES = {
    "drills.bank_cache": ("BANK_DIR",),
    "drills.kinds": ("KindInfo", "kind_info", "kind_label", "known_kinds", "load_kinds"),
    "drills.loader": ("Catalogue", "DrillFileError", "load_bank", "load_file", "parse_drills"),
    "drills.schema": ("Drill", "FollowUp", "Level", "RubricPoint", "upgrade_hints"),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "BANK_DIR",
    "Catalogue",
    "Drill",
    "DrillFileError",
    "FollowUp",
    "KindInfo",
    "Level",
    "RubricPoint",
    "kind_info",
    "kind_label",
    "known_kinds",
    "load_bank",
    "load_file",
    "load_kinds",
    "parse_drills",
    "upgrade_hints",
]


def __getattr__(name: str) -> object:
    if name not in _HOME_OF:
        raise AttributeError(f"module 'drills' has no attribute '{name}'")
    value = getattr(import_module(_HOME_OF[name]), name)
    globals()[name] = value  # found directly from now on
    return value
