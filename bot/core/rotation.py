"""Which drill a channel gets next.

Kinds are spread in proportion to how many drills each kind has (so a channel runs through the
whole bank before anything repeats), and within a kind no drill comes back until every drill of
that kind has been used in the channel.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence


def next_kind(weights: Mapping[str, int], used: Mapping[str, int]) -> str:
    """The kind furthest behind its fair share of the rounds so far.

    ``weights`` maps each kind in rotation to its number of drills (its order breaks ties);
    ``used`` counts the daily rounds each kind has had in the channel.
    """
    total_weight = sum(weights.values())
    if total_weight <= 0:
        raise ValueError("no drills for the kinds in rotation")
    rounds = sum(used.get(kind, 0) for kind in weights) + 1

    def deficit(kind: str) -> float:
        return rounds * weights[kind] / total_weight - used.get(kind, 0)

    return max(weights, key=deficit)


def choose_drill(candidates: Sequence[str], uses: Mapping[str, int], salt: str) -> str:
    """The least used candidate; ties go to a stable pseudo-random order seeded by ``salt``."""
    if not candidates:
        raise ValueError("no drill to choose from")
    fewest = min(uses.get(drill_id, 0) for drill_id in candidates)
    pool = [drill_id for drill_id in candidates if uses.get(drill_id, 0) == fewest]
    return min(pool, key=lambda drill_id: _shuffle_key(salt, fewest, drill_id))


def choose_for_member(candidates: Sequence[str], last_seen: Mapping[str, int], salt: str) -> str:
    """For an on-demand drill: one the member never had, else the one they had longest ago.

    ``last_seen`` maps drill ids to an increasing number (later is larger).
    """
    if not candidates:
        raise ValueError("no drill to choose from")
    return min(
        candidates,
        key=lambda d: (last_seen.get(d, -1), _shuffle_key(salt, 0, d)),
    )


def _shuffle_key(salt: str, cycle: int, drill_id: str) -> str:
    return hashlib.sha256(f"{salt}:{cycle}:{drill_id}".encode()).hexdigest()
