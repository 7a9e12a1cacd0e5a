"""The one-setting reader the ``drills`` commands use agrees with ``load_settings``."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.env import CUSTOM_DRILLS_DIR, SettingsError, custom_drills_dir
from config.settings import load_settings
from tests.config.test_settings import clean_env  # noqa: F401 (an autouse fixture)


def both_readings(env_file: Path | None) -> tuple[object, object]:
    """What each reader makes of the variable: a folder, None, or the error's text."""
    readings: list[object] = []
    for read in (
        lambda: load_settings(env_file).core.custom_drills_dir,
        lambda: custom_drills_dir(env_file),
    ):
        try:
            readings.append(read())
        except SettingsError as error:
            readings.append(str(error))
    return readings[0], readings[1]


MISSING = f"{CUSTOM_DRILLS_DIR}: no such folder: missing"


@pytest.mark.parametrize(
    ("environment", "in_file", "expected"),
    [
        ({}, None, None),
        ({CUSTOM_DRILLS_DIR: "ours"}, None, Path("ours")),
        ({CUSTOM_DRILLS_DIR.lower(): "ours"}, None, Path("ours")),
        ({}, f"{CUSTOM_DRILLS_DIR}=ours", Path("ours")),
        ({}, f'export {CUSTOM_DRILLS_DIR}="ours"  # our own drills', Path("ours")),
        ({CUSTOM_DRILLS_DIR: "ours"}, f"{CUSTOM_DRILLS_DIR}=missing", Path("ours")),
        ({CUSTOM_DRILLS_DIR: "missing"}, f"{CUSTOM_DRILLS_DIR}=ours", MISSING),
        ({}, f"{CUSTOM_DRILLS_DIR}=missing", MISSING),
        ({CUSTOM_DRILLS_DIR: ""}, None, Path(".")),
        ({}, CUSTOM_DRILLS_DIR, None),
    ],
)
def test_the_folder_is_read_as_the_settings_read_it(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    environment: dict[str, str],
    in_file: str | None,
    expected: object,
) -> None:
    (tmp_path / "ours").mkdir()
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    env_file = None
    if in_file is not None:
        env_file = tmp_path / ".env"
        env_file.write_text(f"DRILLBOT_GRACE_MINUTES=5\n{in_file}\n")
    assert both_readings(env_file) == (expected, expected)
