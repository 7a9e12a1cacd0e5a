"""The drills a deployment runs: the shipped bank plus its own folder, if one is set."""

from __future__ import annotations

from config import Settings
from drills import BANK_DIR, Catalogue, load_bank


def load_catalogue(settings: Settings) -> Catalogue:
    """The shipped bank, plus the deployment's own folder of drills when one is set."""
    folders = [BANK_DIR]
    if settings.core.custom_drills_dir is not None:
        folders.append(settings.core.custom_drills_dir)
    return load_bank(folders)
