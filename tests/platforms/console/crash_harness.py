"""Drive the real ``drillbot run`` console over a pipe, SIGKILL it at random moments, resume it.

Each script line is followed by ``mark N``; a line counts as acknowledged once its mark comes
back. After a kill the console restarts at the last acknowledged clock and the unacknowledged
line is fed again: event ids make a line fed twice count once, as a platform's ids do.
"""

from __future__ import annotations

import collections
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

MEMBERS = ("alice", "bob", "carol", "dave", "erin")
START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def thirty_day_script(seed: int = 3) -> list[str]:
    """Daily answers and votes for 30 days; bob misses days so streaks break and freezes count."""
    rng = random.Random(seed)
    lines = []
    for day in range(30):
        at = START + timedelta(days=day, hours=1, minutes=5)
        lines.append(f"clock {at:%Y-%m-%d %H:%M}")
        thread = f"t{day + 1}"
        ids = {}
        for name in MEMBERS:
            if name == "bob" and day % 9 in (4, 5):
                continue
            if rng.random() < 0.8:
                ids[name] = len(ids) + 1  # ``vote N`` numbers answers within the day's round
                lines.append(
                    f"[a{day}-{name}] {name}: #{thread} day {day}: {name} checks the dashboards "
                    "first, then the last deploy, then the error budget"
                )
        for number, voter in enumerate(MEMBERS):
            for author, target in ids.items():
                if author != voter and rng.random() < 0.4:
                    lines.append(f"[v{day}-{number}-{author}] {voter}: #{thread} /vote {target}")
        if day % 7 == 3:
            lines.append("carol: /streak")
    lines.append(f"clock {START + timedelta(days=31, hours=2):%Y-%m-%d %H:%M}")
    return lines


@dataclass
class Console:
    database: Path
    transcript: Path
    start: datetime
    process: subprocess.Popen[str] = field(init=False)
    lines: queue.Queue[str | None] = field(init=False)
    seen: collections.deque[str] = field(default_factory=lambda: collections.deque(maxlen=15))

    def __post_init__(self) -> None:
        environment = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DISCORD", "SLACK", "DRILLBOT_"))
        }
        environment["DATABASE_URL"] = f"sqlite:///{self.database}"
        command = [
            sys.executable,
            "-m",
            "bot",
            "run",
            "--start",
            self.start.isoformat(),
            "--transcript",
            str(self.transcript),
        ]
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=environment,
        )
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def send(self, text: str) -> None:
        """Feed a line; a console that a kill's timer stopped meanwhile takes nothing (its end
        shows in ``wait_for``)."""
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(text + "\n")
            self.process.stdin.flush()
        except BrokenPipeError:
            pass

    def wait_for(self, needle: str, timeout: float = 60.0) -> bool:
        """True when ``needle`` is printed; False when the process ends first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                continue
            if line is None:
                return False
            self.seen.append(line)
            if line.rstrip().endswith(needle):
                return True
        raise TimeoutError(f"{needle} never came; the console last printed:\n{''.join(self.seen)}")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)

    def close(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait(timeout=60)


def run(script: list[str], database: Path, transcript: Path, kills: int, seed: int = 11) -> int:
    """Feed the script, killing the console at random moments until ``kills`` kills have landed."""
    rng = random.Random(seed)
    clock, done, position = START, 0, 0
    current = [Console(database, transcript, clock)]
    try:
        while position < len(script):
            line = script[position]
            current[0].send(f"{line}\nmark {position}")
            if done < kills and rng.random() < 0.3:
                threading.Timer(rng.uniform(0.0, 0.03), current[0].kill).start()
            if current[0].wait_for(f"mark {position}"):
                clock = _clock_after(line, clock)
                position += 1
                continue
            done += 1
            current[0].process.wait(timeout=30)
            current[0] = Console(database, transcript, clock)
        current[0].close()
    finally:
        if current[0].process.poll() is None:  # a failed run must not leave a console behind
            current[0].kill()
            current[0].process.wait(timeout=30)
    return done


def _clock_after(line: str, clock: datetime) -> datetime:
    if not line.startswith("clock "):
        return clock
    return datetime.fromisoformat(line.removeprefix("clock ")).replace(tzinfo=UTC)
