"""One setting read as pydantic-settings reads it, for commands that need nothing else.

The ``drills`` commands need only the folder of custom drills: reading that one variable costs
nothing, where validating every setting imports pydantic (a fifth of a second). ``load_settings``
stays the one place that validates the settings as a whole (``drillbot check``, the bot).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

CUSTOM_DRILLS_DIR = "DRILLBOT_CUSTOM_DRILLS_DIR"


class SettingsError(Exception):
    """Bad settings, one line per variable at fault."""


def check_folder(folder: Path) -> Path:
    if not folder.is_dir():
        raise ValueError(f"no such folder: {folder}")
    return folder


def raw_setting(name: str, env_file: Path | None) -> str | None:
    """The variable's text: the environment first, then the env file; names in any case."""
    found = _by_lower_name(os.environ).get(name.lower())
    if found is None and env_file is not None:
        from dotenv import dotenv_values  # the parser pydantic-settings reads env files with

        found = _by_lower_name(dotenv_values(env_file, encoding="utf-8")).get(name.lower())
    return found


def _by_lower_name(variables: Mapping[str, str | None]) -> dict[str, str | None]:
    return {name.lower(): value for name, value in variables.items()}


def custom_drills_dir(env_file: Path | None) -> Path | None:
    """``DRILLBOT_CUSTOM_DRILLS_DIR``, checked as ``CoreSettings`` checks it."""
    text = raw_setting(CUSTOM_DRILLS_DIR, env_file)
    if text is None:
        return None
    try:
        return check_folder(Path(text))
    except ValueError as error:
        raise SettingsError(f"{CUSTOM_DRILLS_DIR}: {error}") from None
