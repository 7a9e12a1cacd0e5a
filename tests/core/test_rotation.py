"""Kind rotation in proportion to the bank, and drill choice without early repeats."""

from __future__ import annotations

import math
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.rotation import choose_drill, choose_for_member, next_kind

# The shipped bank: three kinds with 21 drills and three with 11 (96 in all).
BANK_WEIGHTS = {
    "live-debugging": 21,
    "migration-review": 21,
    "validate-after-shipping": 21,
    "evaluate-proposal": 11,
    "senior-vs-staff": 11,
    "design-warmup": 11,
}
# The same weights in the order the loader groups them (sorted file names).
LOADER_ORDER = {kind: BANK_WEIGHTS[kind] for kind in sorted(BANK_WEIGHTS)}


def simulate_kinds(weights: dict[str, int], rounds: int) -> list[str]:
    used: Counter[str] = Counter()
    sequence = []
    for _ in range(rounds):
        kind = next_kind(weights, used)
        used[kind] += 1
        sequence.append(kind)
    return sequence


# --- next_kind ----------------------------------------------------------------------------------


@pytest.mark.parametrize("weights", [BANK_WEIGHTS, LOADER_ORDER], ids=["by-size", "by-name"])
def test_a_bank_cycle_gives_each_kind_exactly_its_weight(weights: dict[str, int]) -> None:
    total = sum(weights.values())
    assert total == 96
    sequence = simulate_kinds(weights, 3 * total)
    for cycle in range(3):
        counts = Counter(sequence[cycle * total : (cycle + 1) * total])
        assert dict(counts) == weights


@pytest.mark.parametrize("weights", [BANK_WEIGHTS, LOADER_ORDER], ids=["by-size", "by-name"])
def test_kinds_are_spread_evenly(weights: dict[str, int]) -> None:
    total = sum(weights.values())
    sequence = simulate_kinds(weights, 2 * total)
    for start in range(len(sequence) - 6):
        window = Counter(sequence[start : start + 7])
        for kind, weight in weights.items():
            assert window[kind] <= math.ceil(7 * weight / total) + 1, (start, kind, window)
    # Every kind shows up within its first ten rounds: nothing waits for a big kind to finish.
    assert set(sequence[:10]) == set(weights)


def test_next_kind_starts_with_the_first_heaviest_kind() -> None:
    assert next_kind(BANK_WEIGHTS, {}) == "live-debugging"
    assert next_kind({"a": 1, "b": 3}, {}) == "b"
    assert next_kind({"a": 2, "b": 2}, {}) == "a"  # order breaks ties
    assert next_kind({"a": 2, "b": 2}, {"a": 1}) == "b"


def test_next_kind_ignores_counts_of_kinds_out_of_rotation() -> None:
    weights = {"a": 1, "b": 1}
    assert next_kind(weights, {"a": 3, "b": 3, "retired": 50}) == "a"
    assert next_kind(weights, {"a": 4, "b": 3, "retired": 50}) == "b"


def test_next_kind_needs_weight() -> None:
    with pytest.raises(ValueError, match="no drills"):
        next_kind({}, {})
    with pytest.raises(ValueError, match="no drills"):
        next_kind({"a": 0}, {})


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(1, 25), min_size=1, max_size=7))
def test_every_cycle_matches_the_weights(sizes: list[int]) -> None:
    weights = {f"kind-{n}": size for n, size in enumerate(sizes)}
    total = sum(sizes)
    sequence = simulate_kinds(weights, 2 * total)
    assert Counter(sequence[:total]) == Counter(weights)
    assert Counter(sequence[total:]) == Counter(weights)


# --- choose_drill -------------------------------------------------------------------------------

DRILLS = [f"ld-drill-{n:02d}" for n in range(12)]


def simulate_drills(candidates: list[str], salt: str, picks: int) -> list[str]:
    uses: Counter[str] = Counter()
    chosen = []
    for _ in range(picks):
        drill = choose_drill(candidates, uses, salt)
        uses[drill] += 1
        chosen.append(drill)
    return chosen


@pytest.mark.parametrize("salt", ["channel-1", "channel-2", "x"])
def test_choose_drill_uses_every_drill_before_repeating(salt: str) -> None:
    n = len(DRILLS)
    chosen = simulate_drills(DRILLS, salt, 4 * n)
    for cycle in range(4):
        assert sorted(chosen[cycle * n : (cycle + 1) * n]) == sorted(DRILLS)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.from_regex(r"[a-z]{3,8}", fullmatch=True), min_size=1, max_size=10, unique=True),
    st.text(max_size=10),
    st.integers(1, 4),
)
def test_choose_drill_never_repeats_within_a_cycle(
    candidates: list[str], salt: str, cycles: int
) -> None:
    chosen = simulate_drills(candidates, salt, cycles * len(candidates) + 1)
    for cycle in range(cycles):
        part = chosen[cycle * len(candidates) : (cycle + 1) * len(candidates)]
        assert sorted(part) == sorted(candidates)


def test_choose_drill_is_deterministic_for_a_salt() -> None:
    assert simulate_drills(DRILLS, "channel-7", 30) == simulate_drills(DRILLS, "channel-7", 30)


def test_choose_drill_order_depends_on_the_salt() -> None:
    orders = {tuple(simulate_drills(DRILLS, f"channel-{n}", len(DRILLS))) for n in range(10)}
    assert len(orders) >= 5


def test_choose_drill_cycles_come_in_different_orders() -> None:
    n = len(DRILLS)
    chosen = simulate_drills(DRILLS, "channel-3", 3 * n)
    cycles = {tuple(chosen[c * n : (c + 1) * n]) for c in range(3)}
    assert len(cycles) > 1


def test_choose_drill_prefers_the_least_used() -> None:
    uses = {"a": 2, "b": 1, "c": 2}
    assert choose_drill(["a", "b", "c"], uses, "s") == "b"
    # A drill added to the bank later (never used) comes first.
    assert choose_drill(["a", "b", "c", "new"], uses, "s") == "new"
    # Uses of drills that are not candidates do not matter.
    assert choose_drill(["a", "c"], {"a": 5, "c": 4, "b": 0}, "s") == "c"


def test_choose_drill_needs_candidates() -> None:
    with pytest.raises(ValueError, match="no drill"):
        choose_drill([], {}, "s")


# --- choose_for_member --------------------------------------------------------------------------


def test_choose_for_member_prefers_a_drill_never_seen() -> None:
    assert choose_for_member(["a", "b", "c"], {"a": 1, "c": 0}, "s") == "b"


def test_choose_for_member_then_the_one_seen_longest_ago() -> None:
    assert choose_for_member(["a", "b", "c"], {"a": 5, "b": 2, "c": 9}, "s") == "b"
    assert choose_for_member(["a", "b", "c"], {"a": 0, "b": 2, "c": 9}, "s") == "a"


def test_choose_for_member_needs_candidates() -> None:
    with pytest.raises(ValueError, match="no drill"):
        choose_for_member([], {}, "s")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.from_regex(r"[a-z]{3,8}", fullmatch=True), min_size=1, max_size=10, unique=True),
    st.data(),
    st.text(max_size=8),
)
def test_choose_for_member_properties(
    candidates: list[str], data: st.DataObject, salt: str
) -> None:
    seen = data.draw(st.lists(st.sampled_from(candidates), unique=True))
    order = data.draw(st.permutations(range(len(seen))))
    last_seen = {drill: position for drill, position in zip(seen, order, strict=True)}
    pick = choose_for_member(candidates, last_seen, salt)
    assert pick in candidates
    unseen = [d for d in candidates if d not in last_seen]
    if unseen:
        assert pick in unseen
    else:
        assert last_seen[pick] == min(last_seen.values())
    assert choose_for_member(list(reversed(candidates)), last_seen, salt) == pick
