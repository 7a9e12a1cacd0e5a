"""Worked arithmetic behind the numbers drills state, re-evaluated by the tests.

Each ``drills/arithmetic/*.toml`` holds ``[[check]]`` tables: the drill id, the claim in words,
an expression over plain numbers, and the figure as the drill prints it. A check passes when the
expression comes within ``tolerance`` (relative, default 2%) of the figure and the figure still
appears in the drill's text, so editing either side alone fails the suite.
"""

from __future__ import annotations

import ast
import operator
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drills.schema import Drill

ARITHMETIC_DIR = Path(__file__).resolve().parent / "arithmetic"

_BINARY: Mapping[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_FUNCTIONS: Mapping[str, Callable[..., float]] = {"min": min, "max": max, "round": round}


def evaluate(expression: str) -> float:
    """The value of an expression made only of numbers, + - * / // % **, min, max and round."""
    return _eval(ast.parse(expression, mode="eval").body)


def _eval(node: ast.expr) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return _BINARY[type(node.op)](_eval(node.left), _eval(node.right))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_eval(node.operand)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _FUNCTIONS
    ):
        return _FUNCTIONS[node.func.id](*(_eval(arg) for arg in node.args))
    raise ValueError(f"not allowed in a check: {ast.unparse(node)}")


@dataclass(frozen=True)
class Check:
    drill: str
    claim: str
    expr: str
    value: str
    tolerance: float = 0.02
    source: str = ""

    def problems(self, drill: Drill | None) -> list[str]:
        where = f"{self.source}: check for {self.drill} ({self.claim})"
        if drill is None:
            return [f"{where}: no drill has that id"]
        try:
            got = evaluate(self.expr)
        except (ValueError, SyntaxError, ZeroDivisionError, TypeError) as error:
            return [f"{where}: cannot evaluate {self.expr!r}: {error}"]
        stated = float(self.value.replace(",", "").rstrip("%"))
        found = []
        if abs(got - stated) > self.tolerance * max(abs(stated), 1e-9):
            found.append(f"{where}: {self.expr} = {got:g}, but the drill states {self.value}")
        if self.value not in drill_text(drill):
            found.append(f"{where}: the figure {self.value!r} no longer appears in the drill")
        return found


def drill_text(drill: Drill) -> str:
    parts = [drill.prompt, drill.strong_answer or ""]
    parts += [f"{fact.ask} {fact.answer}" for fact in drill.facts]
    parts += [point.point for point in drill.rubric] + list(drill.red_flags)
    parts += [follow_up.ask for follow_up in drill.follow_ups]
    return "\n".join(parts)


def load_checks(folder: Path = ARITHMETIC_DIR) -> list[Check]:
    checks = []
    for path in sorted(folder.glob("*.toml")):
        for entry in tomllib.loads(path.read_text("utf-8")).get("check", []):
            checks.append(_check(entry, path.name))
    return checks


def _check(entry: Any, source: str) -> Check:
    fields = {key: entry[key] for key in ("drill", "claim", "expr", "value")}
    return Check(**fields, tolerance=float(entry.get("tolerance", 0.02)), source=source)


def problems(checks: Sequence[Check], drills: Mapping[str, Drill]) -> list[str]:
    return [problem for check in checks for problem in check.problems(drills.get(check.drill))]
