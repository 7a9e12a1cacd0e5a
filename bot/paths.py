"""Default paths shared by the CLI and the console (kept in a module that imports nothing)."""

from __future__ import annotations

from pathlib import Path

FILES_DIR = Path("drillbot-files")  # where the console writes files for members (exports, pictures)
