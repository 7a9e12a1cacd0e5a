"""Check drill files the way the test suite does: ``python -m drills.lint drills/bank/x.toml``.

Prints every schema problem, v1 leftovers, balance breaches within the files given, and failing
arithmetic checks for their drills; exits 1 when there is any.
"""

from __future__ import annotations

import sys
from pathlib import Path

from drills import arithmetic, balance
from drills.loader import DrillFileError, load_file


def main(paths: list[str]) -> int:
    drills = []
    found: list[str] = []
    for path in paths:
        try:
            drills += load_file(Path(path))
        except DrillFileError as error:
            found += error.problems
    found += [f"drill {d.id}: still format v1" for d in drills if d.version != 2]
    found += [str(item) for item in balance.imbalances(drills) if item.where != "topics"]
    by_id = {d.id: d for d in drills}
    checks = [c for c in arithmetic.load_checks() if c.drill in by_id]
    found += arithmetic.problems(checks, by_id)
    print("\n".join(found) or f"ok: {len(drills)} drills, {len(checks)} arithmetic checks")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
