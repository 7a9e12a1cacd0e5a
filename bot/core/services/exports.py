"""Exports: a channel's history (``admin export``) or a member's own answers and scores
(``streak export``), as CSV or JSON files streamed row by row from storage.

Chat platforms get a zip archive as a ``FileCard``; the CLI writes the files into a folder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.core import wording
from bot.core.archive import (
    CHANNEL_FILES,
    MEMBER_FILES,
    WRITERS,
    Format,
    Opener,
    folder_opener,
    parse_format,
    zipped,
)
from bot.core.cards import FileCard, Reply, refuse
from bot.core.model import Actor, Channel
from bot.core.schedule import local_date
from bot.core.services.context import Core
from bot.storage.uow import UnitOfWork

Counts = dict[str, int]


@dataclass(frozen=True)
class Scope:
    """What one export covers: a whole channel, or one member's rows in it."""

    channel_id: int
    member_id: int | None = None

    @property
    def files(self) -> tuple[str, ...]:
        return CHANNEL_FILES if self.member_id is None else MEMBER_FILES


def write_export(uow: UnitOfWork, scope: Scope, fmt: Format, opener: Opener) -> Counts:
    """Every file of the export, each streamed from its query into ``opener(name)``."""
    counts: Counts = {}
    for name in scope.files:
        columns = uow.exports.columns(name)
        rows = uow.exports.rows(name, scope.channel_id, scope.member_id)
        with opener(f"{name}.{fmt}") as stream:
            counts[name] = WRITERS[fmt](stream, columns, rows)
    return counts


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")[:40] or "channel"


def _file_card(channel: Channel, who: str, counts: Counts, data: bytes, now: datetime) -> FileCard:
    day = local_date(now, channel.settings.zone)
    filename = f"drillbot-{_slug(who)}-{day:%Y-%m-%d}.zip"
    summary = wording.export_summary(who, counts)
    return FileCard(filename, data, wording.export_alt_text(counts), summary)


async def channel_archive(core: Core, channel: Channel, text: str | None, now: datetime) -> Reply:
    """``admin export [csv|json]``: the channel's rounds, answers, votes, scores, standings and
    streak events, privately, as one zip archive."""
    try:
        fmt = parse_format(text)
    except ValueError as error:
        return refuse(str(error))

    def work(uow: UnitOfWork) -> tuple[Counts, bytes]:
        found: Counts = {}
        scope = Scope(channel.id)
        data = zipped(lambda opener: found.update(write_export(uow, scope, fmt, opener)))
        return found, data

    counts, data = await core.db.run(work)
    return Reply(_file_card(channel, channel.channel_ref, counts, data, now))


async def member_archive(
    core: Core, actor: Actor, channel: Channel, text: str | None, now: datetime
) -> Reply:
    """``streak export [csv|json]``: the member's own answers and round scores, privately."""
    try:
        fmt = parse_format(text)
    except ValueError as error:
        return refuse(str(error))

    def work(uow: UnitOfWork) -> tuple[Counts, bytes]:
        found: Counts = {}
        scope = Scope(channel.id, uow.members.ensure(actor))
        data = zipped(lambda opener: found.update(write_export(uow, scope, fmt, opener)))
        uow.commit()
        return found, data

    counts, data = await core.db.run(work)
    return Reply(_file_card(channel, actor.display_name, counts, data, now))


async def export_to_folder(
    core: Core, channel: Channel, fmt: Format, folder: Path, member_ref: str | None = None
) -> Counts:
    """The CLI's export: the channel's files (or one member's, by user id) into ``folder``."""

    def work(uow: UnitOfWork) -> Counts:
        member_id = None
        if member_ref is not None:
            member_id = uow.members.find(channel.platform, channel.space_ref, member_ref)
            if member_id is None:
                raise LookupError(f"no member {member_ref!r} in this channel's space")
        return write_export(uow, Scope(channel.id, member_id), fmt, folder_opener(folder))

    return await core.db.run(work)
