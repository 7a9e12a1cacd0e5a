"""``drillbot --help``, ``drills list`` and ``check`` import only what they use, as subprocesses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.drills.test_loader import drill_toml

# Runs ``drillbot ARGS`` and then names every module the process imported.
RUN_AND_LIST_MODULES = """
import sys
from bot.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as leaving:
    code = leaving.code
sys.stdout.flush()
print("MODULES", *sorted(sys.modules))
"""
DATABASE_LIBRARIES = ("sqlalchemy", "alembic", "asyncpg", "aiosqlite")
PLATFORM_LIBRARIES = ("discord", "slack_bolt", "slack_sdk", "aiohttp", "apscheduler")


def drillbot(args: list[str], tmp_path: Path, **env: str) -> tuple[str, set[str]]:
    """The command's output (less the module list) and the top modules it imported."""
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DISCORD", "SLACK", "DRILLBOT_"))
    }
    environment.update(DATABASE_URL=f"sqlite:///{tmp_path}/cli.db", **env)
    done = subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST_MODULES, *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        timeout=120,
        check=True,
    )
    output, _, modules = done.stdout.rpartition("MODULES ")
    return output + done.stderr, set(modules.split())


def imported(modules: set[str], *names: str) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in names or m in names)


def test_help_imports_no_library(tmp_path: Path) -> None:
    output, modules = drillbot(["--help"], tmp_path)
    assert "drills" in output and "check" in output
    assert imported(modules, "pydantic", "asyncio", "drills", *DATABASE_LIBRARIES) == []


def test_drills_list_reads_the_cached_bank_with_the_standard_library(tmp_path: Path) -> None:
    first, _ = drillbot(["drills", "list"], tmp_path)  # validates the bank and caches it
    again, modules = drillbot(["drills", "list"], tmp_path)
    assert again == first and len(again.splitlines()) == 166
    heavy = imported(modules, "pydantic", "pydantic_settings", "asyncio", *DATABASE_LIBRARIES)
    assert heavy == [] and "drills.schema" not in modules


def test_check_asks_the_database_without_sqlalchemy(tmp_path: Path) -> None:
    first, _ = drillbot(["check"], tmp_path)
    again, modules = drillbot(["check"], tmp_path)
    assert again == first and "drills: 166" in again and "reachable and writable" in again
    assert imported(modules, *DATABASE_LIBRARIES, *PLATFORM_LIBRARIES) == []
    assert "drills.schema" not in modules and "pydantic_settings" in modules  # settings: all


@pytest.mark.parametrize(
    ("command", "first", "edited"),
    [
        (["drills", "list"], "Title of ld-ours-one", "Renamed drill"),
        (["check"], "drills: 167", "drills: 167"),
    ],
)
def test_an_edited_custom_drill_file_is_read_again(
    tmp_path: Path, command: list[str], first: str, edited: str
) -> None:
    folder = tmp_path / "ours"
    folder.mkdir()
    (folder / "ours.toml").write_text(drill_toml("ld-ours-one"))
    before, _ = drillbot(command, tmp_path, DRILLBOT_CUSTOM_DRILLS_DIR=str(folder))
    (folder / "ours.toml").write_text(drill_toml("ld-ours-one", title='"Renamed drill"'))
    (folder / "two.toml").write_text(drill_toml("ld-ours-two", title='"Hi"'))
    broken, _ = drillbot(command, tmp_path, DRILLBOT_CUSTOM_DRILLS_DIR=str(folder))
    (folder / "two.toml").unlink()
    after, _ = drillbot(command, tmp_path, DRILLBOT_CUSTOM_DRILLS_DIR=str(folder))
    assert first in before and edited in after
    assert "the drill bank has problems" in broken and "ld-ours-two: field 'title'" in broken


def test_drills_list_refuses_a_custom_folder_that_is_not_there(tmp_path: Path) -> None:
    output, _ = drillbot(["drills", "list"], tmp_path, DRILLBOT_CUSTOM_DRILLS_DIR="nowhere")
    assert "invalid settings" in output and "DRILLBOT_CUSTOM_DRILLS_DIR: no such folder" in output
