"""The drill bank: TOML content files, their schema and their loader."""

from drills.loader import BANK_DIR, Catalogue, DrillFileError, load_bank, load_file, parse_drills
from drills.schema import Drill, upgrade_hints

__all__ = [
    "BANK_DIR",
    "Catalogue",
    "Drill",
    "DrillFileError",
    "load_bank",
    "load_file",
    "parse_drills",
    "upgrade_hints",
]
