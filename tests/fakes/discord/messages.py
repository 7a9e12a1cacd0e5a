"""Message payloads: creation (by members, the bot, interactions), edits and storage."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Final

from . import serialize
from .models import FakeChannel, FakeUser, iso_now
from .serialize import sid
from .state import FakeState
from .templates import OMIT, render

DEFAULT: Final = 0
REPLY: Final = 19
CHAT_INPUT_COMMAND: Final = 20
EPHEMERAL: Final = 1 << 6
LOADING: Final = 1 << 7
_USER_MENTION: Final = re.compile(r"<@!?(\d+)>")


@dataclass
class MessageSpec:
    """What a message says; everything else (ids, author, timestamps) is filled in."""

    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[dict[str, Any]] = field(default_factory=list)
    flags: int = 0
    nonce: str | int | None = None
    reference: dict[str, Any] | None = None
    interaction_metadata: dict[str, Any] | None = None
    webhook_id: int | None = None
    type: int = DEFAULT

    @classmethod
    def from_body(cls, body: dict[str, Any], attachments: list[dict[str, Any]]) -> MessageSpec:
        reference = body.get("message_reference")
        return cls(
            content=str(body.get("content") or ""),
            embeds=list(body.get("embeds") or []),
            components=list(body.get("components") or []),
            attachments=attachments,
            flags=int(body.get("flags") or 0),
            nonce=body.get("nonce"),
            reference=reference if isinstance(reference, dict) else None,
            type=REPLY if reference else DEFAULT,
        )


def build(
    state: FakeState, channel: FakeChannel, author: FakeUser, spec: MessageSpec
) -> dict[str, Any]:
    """A complete MESSAGE_CREATE payload, stored in the fake and counted in the channel."""
    guild = state.guild_of(channel)
    member = None if guild is None else guild.members.get(author.id)
    message_id = state.snowflake()
    payload = render(
        "message_create",
        id=sid(message_id),
        type=spec.type,
        channel_id=sid(channel.id),
        guild_id=sid(channel.guild_id) if guild is not None else OMIT,
        author=serialize.user(author),
        member=serialize.member(member, with_user=False)
        if member is not None and spec.webhook_id is None
        else OMIT,
        content=spec.content,
        timestamp=iso_now(),
        mentions=_mentions(state, channel, spec.content),
        attachments=spec.attachments,
        embeds=[_normalise_embed(e) for e in spec.embeds],
        components=spec.components,
        flags=spec.flags,
        nonce=spec.nonce if spec.nonce is not None else OMIT,
        webhook_id=sid(spec.webhook_id) if spec.webhook_id is not None else OMIT,
        application_id=sid(state.application_id) if spec.webhook_id is not None else OMIT,
        message_reference=_reference(channel, spec.reference),
        referenced_message=_referenced(state, spec.reference),
        interaction_metadata=spec.interaction_metadata or OMIT,
        position=channel.message_count if channel.is_thread else OMIT,
    )
    _store(state, channel, payload)
    return payload


def apply_edit(
    message: dict[str, Any], body: dict[str, Any], attachments: list[dict[str, Any]]
) -> None:
    """Apply a PATCH body to a stored message in place (Discord's partial update rules)."""
    for key in ("content", "components", "flags"):
        if key in body:
            message[key] = body[key] if body[key] is not None else _empty(key)
    if "embeds" in body:
        message["embeds"] = [_normalise_embed(e) for e in body["embeds"] or []]
    if "attachments" in body or attachments:
        kept = {str(a.get("id")) for a in body.get("attachments") or []}
        message["attachments"] = [
            a for a in message["attachments"] if a["id"] in kept
        ] + attachments
    message["edited_timestamp"] = iso_now()


def file_attachments(
    state: FakeState, channel_id: int, body: dict[str, Any], files: list[tuple[str, str, str, int]]
) -> list[dict[str, Any]]:
    """Attachment objects for uploaded ``(field, filename, content_type, size)`` parts."""
    described = {str(a.get("id")): a for a in body.get("attachments") or []}
    out = []
    for field_name, filename, content_type, size in files:
        index = field_name.removeprefix("files[").removesuffix("]")
        attachment_id = state.snowflake()
        url = f"https://cdn.discordapp.com/attachments/{channel_id}/{attachment_id}/{filename}"
        out.append(
            {
                "id": sid(attachment_id),
                "filename": filename,
                "description": described.get(index, {}).get("description"),
                "content_type": content_type,
                "size": size,
                "url": url,
                "proxy_url": url.replace("cdn.discordapp.com", "media.discordapp.net"),
            }
        )
    return out


def custom_ids(components: list[dict[str, Any]]) -> list[str]:
    """Every custom_id in a (possibly nested) component tree."""
    found: list[str] = []
    for component in components:
        if "custom_id" in component:
            found.append(str(component["custom_id"]))
        found.extend(custom_ids(component.get("components") or []))
        if isinstance(component.get("component"), dict):
            found.extend(custom_ids([component["component"]]))
        if isinstance(component.get("accessory"), dict):
            found.extend(custom_ids([component["accessory"]]))
    return found


def _store(state: FakeState, channel: FakeChannel, payload: dict[str, Any]) -> None:
    state.messages[int(payload["id"])] = payload
    channel.last_message_id = int(payload["id"])
    if channel.is_thread:
        channel.message_count += 1


def _empty(key: str) -> Any:
    return {"content": "", "components": [], "flags": 0}[key]


def _normalise_embed(embed: dict[str, Any]) -> dict[str, Any]:
    out = {"type": "rich", **embed}
    out.setdefault("content_scan_version", 0)
    return out


def _mentions(state: FakeState, channel: FakeChannel, content: str) -> list[dict[str, Any]]:
    guild = state.guild_of(channel)
    seen: list[dict[str, Any]] = []
    for raw_id in dict.fromkeys(_USER_MENTION.findall(content)):
        found = state.users.get(int(raw_id))
        if found is None:
            continue
        entry = serialize.user(found)
        member = None if guild is None else guild.members.get(found.id)
        if member is not None:
            entry["member"] = serialize.member(member, with_user=False)
        seen.append(entry)
    return seen


def _reference(channel: FakeChannel, reference: dict[str, Any] | None) -> Any:
    if not reference:
        return OMIT
    return {
        "type": 0,
        "message_id": sid(int(reference["message_id"])) if reference.get("message_id") else None,
        "channel_id": str(reference.get("channel_id") or channel.id),
        "guild_id": sid(channel.guild_id) if channel.guild_id is not None else None,
    }


def _referenced(state: FakeState, reference: dict[str, Any] | None) -> Any:
    if not reference or not reference.get("message_id"):
        return OMIT
    return state.messages.get(int(reference["message_id"]))
