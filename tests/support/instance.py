"""A headless Drillbot process for multi-instance tests: the real bootstrap and core on a shared
database, driven by JSON lines on stdin, with a platform that appends every send to a shared file.

Usage: python -m tests.support.instance NAME DELIVERIES_FILE [SCHEMA]
Commands: {"op": "tick", "now": ISO} | {"op": "answer", "now", "channel", "thread", "user", "ref", "text"}
          | {"op": "vote", "now", "channel", "user", "answer_id", "key"}; each is answered with one JSON line.
"""

from __future__ import annotations

import asyncio
import fcntl
import json
import sys
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from bot.bootstrap import App, build
from bot.core.cards import Card, DrillCard
from bot.core.model import Actor, Place
from bot.core.ports import Posted
from bot.core.services import answers, votes
from bot.core.services.sweep import run_due_work
from config import load_settings

PLATFORM = "multi"


class FilePlatform:
    """Records every send, as a platform would see it, in a file shared by all instances."""

    name = PLATFORM

    def __init__(self, instance: str, path: Path) -> None:
        self.instance, self.path = instance, path

    async def deliver(
        self, channel_ref: str, thread_ref: str | None, card: Card, idempotency_key: str
    ) -> Posted:
        entry = {
            "instance": self.instance,
            "key": idempotency_key,
            "channel": channel_ref,
            "card": type(card).__name__,
        }
        with self.path.open("a") as file:
            fcntl.flock(file, fcntl.LOCK_EX)
            file.write(json.dumps(entry) + "\n")
        thread = f"thread-{card.round_id}" if isinstance(card, DrillCard) else None
        return Posted(f"{self.instance}:{idempotency_key}", thread)


async def handle(app: App, platform: FilePlatform, command: dict[str, object]) -> object:
    now = datetime.fromisoformat(str(command["now"]))
    if command["op"] == "tick":
        return asdict(await run_due_work(app.core, {PLATFORM: platform}, now))
    actor = Actor(PLATFORM, "space", str(command["user"]), str(command["user"]))
    if command["op"] == "answer":
        place = Place(PLATFORM, "space", str(command["channel"]), str(command["thread"]))
        receipt = await answers.receive_message(
            app.core, actor, place, str(command["ref"]), str(command["text"]), now
        )
        return receipt.answer_id if receipt else None
    where = Place(PLATFORM, "space", str(command["channel"]))
    reply = await votes.toggle_vote(
        app.core, actor, where, int(str(command["answer_id"])), now, str(command["key"])
    )
    return reply.ok


async def main() -> None:
    name, deliveries = sys.argv[1], Path(sys.argv[2])
    settings = load_settings(None)
    app = await build(settings, schema=sys.argv[3] if len(sys.argv) > 3 else None)
    platform = FilePlatform(name, deliveries)
    print(json.dumps({"ready": name}), flush=True)
    for line in sys.stdin:
        result = await handle(app, platform, json.loads(line))
        print(json.dumps({"result": result}), flush=True)
    await app.db.dispose()


if __name__ == "__main__":
    asyncio.run(main())
