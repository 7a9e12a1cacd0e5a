"""A scripted week through the real ``drillbot`` CLI as a subprocess, checked line by line.

The expected transcript was read and checked by hand (points, streaks, refusals). If a deliberate
change alters it, regenerate with ``DRILLBOT_REGENERATE=1`` and review the diff before committing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).parent / "scripts"


def run_cli(
    args: list[str], database: Path, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DISCORD", "SLACK", "DRILLBOT_"))
    }
    environment.update(DATABASE_URL=f"sqlite:///{database}", **env)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def test_scripted_week_matches_the_transcript(tmp_path):
    script = (SCRIPTS / "week.txt").read_text()
    result = run_cli(["run", "--start", "2026-11-23T08:00:00Z"], tmp_path / "week.db", script)
    assert result.returncode == 0, result.stderr
    expected_file = SCRIPTS / "week.expected"
    if os.environ.get("DRILLBOT_REGENERATE"):
        expected_file.write_text(result.stdout)
    expected = expected_file.read_text().splitlines()
    actual = result.stdout.splitlines()
    for number, (want, got) in enumerate(zip(expected, actual, strict=False), start=1):
        assert got == want, f"transcript line {number} differs"
    assert len(actual) == len(expected)


def test_replaying_the_same_week_is_deterministic(tmp_path):
    script = (SCRIPTS / "week.txt").read_text()
    first = run_cli(["run", "--start", "2026-11-23T08:00:00Z"], tmp_path / "a.db", script)
    second = run_cli(["run", "--start", "2026-11-23T08:00:00Z"], tmp_path / "b.db", script)
    assert first.stdout == second.stdout and first.stdout.count("Drillbot opened thread") == 12


@pytest.mark.parametrize(
    "line",
    ["what is this", "clock yesterday", "clock -1d", "bob: !edit", "bob: #t99 hello", "x" * 5000],
)
def test_nonsense_input_gets_a_hint_and_the_console_keeps_going(tmp_path, line):
    result = run_cli(
        ["run", "--start", "2026-11-23T08:00:00Z"], tmp_path / "n.db", f"{line}\nbob: /help\n"
    )
    assert result.returncode == 0, result.stderr
    assert "Drillbot commands:" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_an_unwritable_database_path_fails_clearly(tmp_path):
    result = run_cli(["run"], tmp_path / "missing" / "folder" / "x.db", "")
    assert result.returncode == 2
    assert "cannot create the SQLite file" in result.stderr and "Traceback" not in result.stderr
