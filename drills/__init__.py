"""The drill bank: TOML content files, their schema and their loader, and per-kind metadata."""

from drills.kinds import KindInfo, kind_info, kind_label, known_kinds, load_kinds
from drills.loader import BANK_DIR, Catalogue, DrillFileError, load_bank, load_file, parse_drills
from drills.schema import Drill, FollowUp, Level, RubricPoint, upgrade_hints

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
