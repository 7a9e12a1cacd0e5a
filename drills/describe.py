"""A drill in full, as plain text: what ``drillbot drills show`` prints (every field)."""

from __future__ import annotations

from drills.schema import Drill, Level


def full_text(drill: Drill) -> str:
    parts = [
        f"{drill.title}  [{drill.id}]",
        f"{drill.kind} · difficulty {drill.difficulty} · {', '.join(drill.tags)}",
        "",
        drill.prompt,
    ]
    if drill.facts:
        parts += ["", "Facts on request:"]
        parts += [f"{n}. {f.ask}\n   {f.answer}" for n, f in enumerate(drill.facts, start=1)]
    for level in Level:
        points = drill.points_at(level)
        if points:
            parts += ["", f"Rubric, {level.value} bar:"]
            parts += [f"- {p.point}" + (f" (x{p.weight})" if p.weight > 1 else "") for p in points]
    if drill.red_flags:
        parts += ["", "Red flags:", *(f"- {flag}" for flag in drill.red_flags)]
    if drill.strong_answer:
        parts += ["", "A strong answer:", drill.strong_answer]
    parts += ["", "Follow-ups:"]
    parts += [f"- {f.ask}" + (f" [{f.probe.value}]" if f.probe else "") for f in drill.follow_ups]
    return "\n".join(parts)
