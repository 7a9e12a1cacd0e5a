"""A careless operator and a messy terminal: each fault of the CLI and console from issue 11,
through the real ``drillbot`` as a subprocess."""

from __future__ import annotations

import os
import pty
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.core.text import LIMIT_FULL

START = ["run", "--start", "2026-11-23T08:00:00Z"]
DRILL_OUT = "clock +1h\n"  # the first daily drill goes out at 09:00 in thread t1


def drillbot(
    args: list[str], database_url: str, stdin: bytes = b"", **env: str
) -> subprocess.CompletedProcess[bytes]:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DISCORD", "SLACK", "DRILLBOT_"))
    }
    environment.update(DATABASE_URL=database_url, **env)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        env=environment,
        timeout=120,
        check=False,
    )


def sqlite(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("garbage", "not a database URL"),
        ("mysql://drill:s3cret-pw@db.example/drills", "'mysql' databases are not supported"),
    ],
)
def test_a_bad_database_url_names_the_variable_and_the_problem(url: str, problem: str) -> None:
    for args in (["check"], ["run"], ["status"]):
        result = drillbot(args, url)
        err = result.stderr.decode()
        assert result.returncode == 2 and f"DATABASE_URL: {problem}" in err, err
        assert "Traceback" not in err and "settings: ok" not in result.stdout.decode()
        assert "s3cret-pw" not in err


def test_a_bad_start_is_refused_and_a_zone_less_one_is_utc(tmp_path: Path) -> None:
    bad = drillbot(["run", "--start", "garbage"], sqlite(tmp_path / "a.db"))
    assert bad.returncode == 2 and "argument --start" in bad.stderr.decode()
    assert "ISO 8601" in bad.stderr.decode() and "Traceback" not in bad.stderr.decode()
    local = drillbot(
        ["run", "--start", "2026-11-23T08:00"],
        sqlite(tmp_path / "b.db"),
        b"alice: /help\n",
        TZ="America/New_York",
    )
    assert local.returncode == 0, local.stderr.decode()
    assert "[Mon 2026-11-23 08:00 UTC]" in local.stdout.decode()


def test_export_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    environment = {**os.environ, "DATABASE_URL": sqlite(tmp_path / "c.db")}
    export = subprocess.Popen(
        [sys.executable, "-m", "bot", "drills", "export"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
    )
    assert export.stdout is not None and export.stderr is not None
    assert export.stdout.read(100)  # like `| head -c 100`: read a little, then go away
    export.stdout.close()
    err = export.stderr.read().decode()
    assert export.wait(60) == 141 and err == "", err


def test_ctrl_c_at_the_prompt_stops_the_console_at_once(tmp_path: Path) -> None:
    primary, secondary = pty.openpty()
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DISCORD", "SLACK", "DRILLBOT_"))
    }
    environment["DATABASE_URL"] = sqlite(tmp_path / "d.db")
    console = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        stdin=secondary,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
    )
    os.close(secondary)
    try:
        assert console.stdout is not None
        _read_until(console.stdout.fileno(), b"\n> ", 60)
        pressed = time.monotonic()
        console.send_signal(signal.SIGINT)
        assert console.wait(10) == 130
        assert time.monotonic() - pressed < 5
    finally:
        if console.poll() is None:
            console.kill()
            console.wait()
        os.close(primary)


def _read_until(fd: int, wanted: bytes, timeout: float) -> bytes:
    seen, deadline = b"", time.monotonic() + timeout
    os.set_blocking(fd, False)
    while wanted not in seen:
        assert time.monotonic() < deadline, seen[-300:]
        try:
            seen += os.read(fd, 4096)
        except BlockingIOError:
            time.sleep(0.05)
    return seen


@pytest.mark.parametrize("where", ["missing/t.jsonl", "folder"])
def test_an_unwritable_transcript_is_refused_at_start(tmp_path: Path, where: str) -> None:
    (tmp_path / "folder").mkdir()
    path = tmp_path / where
    result = drillbot(
        [*START, "--transcript", str(path)], sqlite(tmp_path / "e.db"), b"clock +1h\n"
    )
    err = result.stderr.decode()
    assert result.returncode == 2 and f"cannot write the transcript {path}" in err, err
    assert result.stdout == b""  # nothing was posted before the problem was found


def test_a_read_only_database_is_reported_by_check_and_at_start_up(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    assert drillbot(["db", "upgrade"], sqlite(path)).returncode == 0
    read_only = f"sqlite:///file:{path}?mode=ro&uri=true"
    for args in (["check"], START):
        result = drillbot(args, read_only, b"alice: /streak\n")
        err = result.stderr.decode()
        assert result.returncode == 2 and "the database is read-only" in err, err
        assert "Traceback" not in err
    assert "reachable and writable" in drillbot(["check"], sqlite(path)).stdout.decode()


def test_text_past_the_limit_is_refused_with_the_limit_named(tmp_path: Path) -> None:
    script = f"{DRILL_OUT}alice: #t1 {'x' * 15_000}\nalice: #t1 {'y' * 2_000}\nalice: #t1 more\n"
    out = drillbot(START, sqlite(tmp_path / "f.db"), script.encode()).stdout.decode()
    assert "Only its first 16,000 characters were kept." in out  # the second: cut, and said so
    assert f"(to alice) Drillbot: {LIMIT_FULL}" in out  # the third: nothing of it fits, said so


def test_the_console_knows_who_wrote_what_after_a_restart(tmp_path: Path) -> None:
    database = sqlite(tmp_path / "g.db")
    first = drillbot(START, database, f"{DRILL_OUT}alice: #t1 First answer\n".encode())
    ref = re.search(r"thread t1 alice \((m\d+)\)", first.stdout.decode())
    assert ref is not None, first.stdout.decode()
    again = f"bob: !delete {ref[1]}\nalice: !edit {ref[1]} Edited\nalice: !delete {ref[1]}\n"
    second = drillbot(["run", "--start", "2026-11-23T09:30:00Z"], database, again.encode())
    out = second.stdout.decode()
    assert "bob can only change their own messages" in out
    assert (
        f"{ref[1]} edited (answer updated)" in out and f"{ref[1]} deleted (answer updated)" in out
    )


def test_bytes_that_are_not_utf8_do_not_lose_the_answer(tmp_path: Path) -> None:
    script = DRILL_OUT.encode() + b"alice: #t1 caf\xe9 au lait \xff\n"
    result = drillbot(START, sqlite(tmp_path / "h.db"), script)
    out, err = result.stdout.decode(), result.stderr.decode()
    assert result.returncode == 0 and "Traceback" not in err, err
    assert "Recorded as answer #1" in out and "caf\ufffd au lait" in out
