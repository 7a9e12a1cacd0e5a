"""Settings, read once in ``main`` and passed down.

The names are imported on first use (PEP 562): ``config.env`` serves the commands that need one
setting without importing pydantic.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from config.env import SettingsError
    from config.settings import Settings, load_settings

_HOME_OF = {"Settings": "config.settings", "load_settings": "config.settings"}
_HOME_OF["SettingsError"] = "config.env"
__all__ = ["Settings", "SettingsError", "load_settings"]


def __getattr__(name: str) -> object:
    if name not in _HOME_OF:
        raise AttributeError(f"module 'config' has no attribute '{name}'")
    value = getattr(import_module(_HOME_OF[name]), name)
    globals()[name] = value  # found directly from now on
    return value
