"""``drillbot status``: channels, their next posts, and sends that are pending or failed."""

from __future__ import annotations

from datetime import datetime
from typing import TextIO

from bot.core.model import ConnectionState
from bot.core.render import days_text
from bot.core.services.connections import connection_states
from bot.core.services.context import Core


async def print_status(core: Core, now: datetime, out: TextIO) -> None:
    channels, counts, unsent, open_rounds = await core.db.run(
        lambda uow: (
            uow.channels.all(),
            uow.posts.counts(),
            uow.posts.unsent(),
            uow.rounds.count_open(),
        )
    )
    out.write(
        f"{len(channels)} channel(s), {open_rounds} open round(s), posts: {_counts(counts)}\n"
    )
    for channel in channels:
        s = channel.settings
        nxt = (
            channel.next_post_at.astimezone(s.zone).strftime("%Y-%m-%d %H:%M")
            if channel.next_post_at
            else "-"
        )
        state = "paused" if s.paused else f"next drill {nxt} {s.timezone}"
        out.write(
            f"  {channel.platform}:{channel.space_ref}:{channel.channel_ref}  {state}  ({days_text(s.days)})\n"
        )
    for job in unsent:
        due = (
            "" if job.status == "failed" else f", next try {job.next_attempt_at:%Y-%m-%d %H:%M} UTC"
        )
        out.write(
            f"  {job.status}: {job.claim_key} after {job.attempts} attempt(s){due}: {job.last_error or '-'}\n"
        )
    for connection in await connection_states(core):
        out.write(f"  {_connection(connection)}\n")


def _connection(state: ConnectionState) -> str:
    """``discord: connected since 2026-11-30 07:00 UTC`` (and why, when it failed)."""
    line = f"{state.platform}: {state.state} since {state.changed_at:%Y-%m-%d %H:%M} UTC"
    return f"{line}: {state.detail}" if state.detail else line


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "none yet"
