"""``drillbot drills ...``: the bank from the command line. Each returns the process exit code.

``list`` and ``export`` read the cached bank (``drills.bank_cache``) and import nothing beyond
the standard library; the others build drills with the schema, imported when they run.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.cli import Refused
from drills.bank_cache import cached_bank

if TYPE_CHECKING:
    from drills import Drill

THIN_KIND = 10


def drills_list(args: argparse.Namespace) -> int:
    drills = cached_bank(args.drill_folders).drills
    chosen = [d for d in drills if args.kind in (None, d["kind"])]
    if not chosen:
        kinds = ", ".join(sorted({d["kind"] for d in drills}))
        raise Refused(f"no drills of kind '{args.kind}'; kinds: {kinds}")
    for drill in sorted(chosen, key=lambda d: (d["kind"], d["id"])):
        print(f"{drill['id']:<40} {drill['kind']:<24} {drill['difficulty']}  {drill['title']}")
    return 0


def drills_show(args: argparse.Namespace) -> int:
    from drills import load_bank
    from drills.describe import full_text

    drill = load_bank(args.drill_folders).get(args.id)
    if drill is None:
        raise Refused(f"no drill with id '{args.id}'; 'drillbot drills list' shows them all")
    print(full_text(drill))
    return 0


def drills_export(args: argparse.Namespace) -> int:
    # The cache holds each drill exactly as ``Drill.model_dump(mode="json")`` gives it.
    json.dump(cached_bank(args.drill_folders).drills, sys.stdout, indent=2)
    print()
    return 0


def drills_stats(args: argparse.Namespace) -> int:
    from drills import load_bank
    from drills.balance import imbalances

    drills = list(load_bank(args.drill_folders).drills.values())
    for title, counts in (
        ("kind", Counter(d.kind for d in drills)),
        ("difficulty", Counter(str(d.difficulty) for d in drills)),
        ("tag", Counter(tag for d in drills for tag in d.tags)),
    ):
        print(f"by {title}: " + ", ".join(f"{key} {n}" for key, n in sorted(counts.items())))
    _print_balances(drills)
    for warning in thin_areas(drills) + [str(item) for item in imbalances(drills)]:
        print(f"warning: {warning}")
    return 0


def _print_balances(drills: list[Drill]) -> None:
    """Probe shares per kind, the most-named technologies and domains, the required topics."""
    from drills.balance import REQUIRED_TAGS, probe_shares, topic_shares

    for kind in sorted({d.kind for d in drills}):
        shares = probe_shares([d for d in drills if d.kind == kind])
        print(f"probes in {kind}: " + ", ".join(f"{p} {s:.0%}" for p, s in shares.items()))
    top = list(topic_shares(drills).items())[:6]
    print("most-named in prompts: " + ", ".join(f"{name} {share:.0%}" for name, share in top))
    tags = Counter(tag for d in drills for tag in d.tags)
    print("required topics: " + ", ".join(f"{tag} {tags[tag]}" for tag in REQUIRED_TAGS))


def thin_areas(drills: list[Drill]) -> list[str]:
    kinds = Counter(d.kind for d in drills)
    return [
        f"kind {k} has only {n} drills (fewer than {THIN_KIND})"
        for k, n in sorted(kinds.items())
        if n < THIN_KIND
    ]


async def drills_import(args: argparse.Namespace) -> int:
    # The database and the core are imported here: listing and showing drills needs neither.
    from bot.cli_actions import find_channel, open_app
    from bot.core.services.admin import import_drills
    from bot.platforms.console.platform import PLATFORM as CONSOLE
    from bot.platforms.console.runner import ensure_console_channel
    from drills import load_file

    drills = load_file(args.file)
    platform, _, rest = args.channel.partition(":")
    space, _, channel_ref = rest.partition(":")
    app = await open_app(args)
    try:
        channel = await find_channel(app, platform, space, channel_ref)
        if channel is None and platform == CONSOLE:
            await ensure_console_channel(app.core, datetime.now(UTC))
            channel = await find_channel(app, platform, space, channel_ref)
        if channel is None:
            raise Refused(
                f"no drill channel {args.channel}; an admin registers it with 'admin channel'"
            )
        count = await import_drills(app.core, channel, drills, datetime.now(UTC))
    finally:
        await app.db.dispose()
    print(f"imported {count} drill(s) into the rotation of {args.channel}")
    return 0
