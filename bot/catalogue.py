"""The drills a deployment runs: the shipped bank plus its own folder, if one is set."""

from __future__ import annotations

from typing import TYPE_CHECKING

from drills import Catalogue, load_bank
from drills.bank_cache import bank_folders

if TYPE_CHECKING:
    from config import Settings


def load_catalogue(settings: Settings) -> Catalogue:
    """The shipped bank, plus the deployment's own folder of drills when one is set."""
    return load_bank(bank_folders(settings.core.custom_drills_dir))
