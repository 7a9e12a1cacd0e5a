"""Wall time of the quick commands, each a fresh process, beside ``python -c pass``.

Usage: python -m bench.cli_start [--runs 5]
Target (issue 14, part 5): ``drillbot --help``, ``drillbot check`` and ``drillbot drills list``
each under 0.3 s. Runs are interleaved (anchor, then each command, round after round) so a busy
machine slows them alike; medians, with the load average before and after. Beside the wall time,
the CPU time the process used (user + system): on a busy machine the wall time also counts the
wait for a core, the CPU time is close to what a quiet machine's wall time would be.

``check`` runs against a migrated SQLite file in a scratch folder. The drill bank's cache
(``drills.bank_cache``) is warmed by one untimed round: that is every start after the first
since the drill files last changed.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 0.3


def commands() -> dict[str, list[str]]:
    script = Path(sys.executable).parent / "drillbot"
    drillbot = [str(script)] if script.exists() else [sys.executable, "-m", "bot"]
    return {
        "python -c pass (anchor)": [sys.executable, "-c", "pass"],
        "drillbot --help": [*drillbot, "--help"],
        "drillbot drills list": [*drillbot, "drills", "list"],
        "drillbot check": [*drillbot, "check"],
    }


def seconds(command: list[str], folder: Path) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run."""
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{folder}/bench.db"}
    used = _children_cpu()
    began = time.perf_counter()
    subprocess.run(command, cwd=folder, env=environment, capture_output=True, check=True)
    return time.perf_counter() - began, _children_cpu() - used


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(runs: int) -> dict[str, list[tuple[float, float]]]:
    timings: dict[str, list[tuple[float, float]]] = {name: [] for name in commands()}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        seconds([*commands()["drillbot check"][:-1], "db", "upgrade"], folder)
        for _ in range(runs + 1):  # the first round warms the caches and is not counted
            for name, command in commands().items():
                timings[name].append(seconds(command, folder))
    return {name: samples[1:] for name, samples in timings.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    runs = max(args.runs, 3)
    before = os.getloadavg()[0]
    timings = measure(runs)
    anchor = statistics.median(wall for wall, _ in next(iter(timings.values())))
    print(f"load average {before:.2f} before, {os.getloadavg()[0]:.2f} after; medians of {runs}")
    for name, samples in timings.items():
        wall = statistics.median(wall for wall, _ in samples)
        cpu = statistics.median(cpu for _, cpu in samples)
        verdict = "" if name.startswith("python") else _verdict(wall)
        print(
            f"{name:<24} {wall:6.3f} s ({wall / anchor:4.1f}x anchor), CPU {cpu:.3f} s  {verdict}"
        )


def _verdict(median: float) -> str:
    return f"{'ok' if median <= TARGET_SECONDS else 'OVER'} (target {TARGET_SECONDS} s)"


if __name__ == "__main__":
    main()
