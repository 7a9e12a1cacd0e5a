"""INTERACTION_CREATE payloads (slash, button/select, modal) and the record of each one."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import serialize
from .models import FakeChannel, FakeCommand, FakeMember, FakeRole, FakeUser
from .serialize import sid
from .state import FakeState
from .templates import OMIT, render

ModalValues = Mapping[str, str | Sequence[str]]
APPLICATION_COMMAND, MESSAGE_COMPONENT, MODAL_SUBMIT = 2, 3, 5
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, NUMBER = 3, 4, 5, 6, 7, 8, 10


@dataclass
class FakeInteraction:
    """One interaction the fake sent, and everything the bot answered to it."""

    id: int
    token: str
    type: int
    payload: dict[str, Any]
    member: FakeMember
    channel: FakeChannel
    command_name: str | None = None
    source_message: dict[str, Any] | None = None
    created_at: float = field(default_factory=time.monotonic)
    callbacks: list[dict[str, Any]] = field(default_factory=list)
    message: dict[str, Any] | None = None
    followups: list[dict[str, Any]] = field(default_factory=list)
    modal: dict[str, Any] | None = None
    _changed: asyncio.Event = field(default_factory=asyncio.Event, repr=False)

    @property
    def responded(self) -> bool:
        return bool(self.callbacks)

    @property
    def response_type(self) -> int | None:
        """4 message, 5 deferred message, 6 deferred update, 7 update, 9 modal."""
        return int(self.callbacks[0]["type"]) if self.callbacks else None

    @property
    def response_data(self) -> dict[str, Any]:
        return dict(self.callbacks[0].get("data") or {}) if self.callbacks else {}

    @property
    def ephemeral(self) -> bool:
        return bool(int(self.response_data.get("flags") or 0) & 64)

    def notify(self) -> None:
        self._changed.set()

    async def wait_for_response(self, timeout: float = 2.0) -> dict[str, Any]:
        """The first callback body (``{"type": ..., "data": ...}``) once it arrives."""
        await self._wait(lambda: self.responded, timeout)
        return self.callbacks[0]

    async def wait_for_followups(
        self, count: int = 1, timeout: float = 2.0
    ) -> list[dict[str, Any]]:
        await self._wait(lambda: len(self.followups) >= count, timeout)
        return self.followups

    async def _wait(self, condition: Any, timeout: float) -> None:
        async with asyncio.timeout(timeout):
            while not condition():
                self._changed.clear()
                await self._changed.wait()


def new_interaction(
    state: FakeState, kind: int, member: FakeMember, channel: FakeChannel, **extra: Any
) -> FakeInteraction:
    interaction_id = state.snowflake()
    token = f"aW50ZXJhY3Rpb246{interaction_id}:{secrets.token_urlsafe(24)}"
    return FakeInteraction(interaction_id, token, kind, {}, member, channel, **extra)


def _common(state: FakeState, record: FakeInteraction, locale: str) -> dict[str, Any]:
    return {
        "id": sid(record.id),
        "application_id": sid(state.application_id),
        "token": record.token,
        "guild_id": sid(record.channel.guild_id),
        "channel_id": sid(record.channel.id),
        "channel": serialize.interaction_channel(state, record.channel, record.member),
        "member": _member(state, record),
        "locale": locale,
        "app_permissions": str(state.bot_permissions_in(record.channel)),
    }


def _member(state: FakeState, record: FakeInteraction) -> dict[str, Any]:
    payload = serialize.member(record.member)
    payload["permissions"] = str(state.permissions_in(record.channel, record.member))
    return payload


def slash_payload(
    state: FakeState, record: FakeInteraction, command: FakeCommand, options: Any, locale: str
) -> dict[str, Any]:
    return render(
        "interaction_slash",
        **_common(state, record, locale),
        command_id=sid(command.id),
        command_name=command.name,
        command_guild_id=sid(command.guild_id) if command.guild_id is not None else OMIT,
        options=options["options"],
        resolved=options["resolved"] or OMIT,
    )


def component_payload(
    state: FakeState, record: FakeInteraction, custom_id: str, component_type: int, values: Any
) -> dict[str, Any]:
    return render(
        "interaction_button",
        **_common(state, record, "en-US"),
        custom_id=custom_id,
        component_type=component_type,
        values=values if values is not None else OMIT,
        message=record.source_message,
    )


def modal_payload(
    state: FakeState, record: FakeInteraction, custom_id: str, components: list[dict[str, Any]]
) -> dict[str, Any]:
    return render(
        "interaction_modal",
        **_common(state, record, "en-US"),
        custom_id=custom_id,
        components=components,
        message=record.source_message or OMIT,
    )


def modal_submission(modal: dict[str, Any] | None, values: ModalValues) -> list[dict[str, Any]]:
    """Submitted components mirroring the modal's layout (action rows or labels)."""
    if modal is None:
        return [
            {"type": 1, "components": [{"type": 4, "custom_id": key, "value": value}]}
            for key, value in values.items()
        ]
    out: list[dict[str, Any]] = []
    for index, item in enumerate(modal.get("components") or [], start=1):
        if item.get("type") == 1:
            inner = [_submitted(c, values) for c in item.get("components") or []]
            out.append({"type": 1, "id": index, "components": inner})
        elif item.get("type") == 18 and isinstance(item.get("component"), dict):
            out.append(
                {"type": 18, "id": index, "component": _submitted(item["component"], values)}
            )
        elif item.get("type") == 10:
            out.append({"type": 10, "id": index})
    return out


def _submitted(component: dict[str, Any], values: ModalValues) -> dict[str, Any]:
    custom_id = str(component.get("custom_id"))
    value = values.get(custom_id, "")
    if component.get("type") == 4:
        text = value if isinstance(value, str) else "\n".join(value)
        return {"type": 4, "custom_id": custom_id, "value": text}
    picked = [value] if isinstance(value, str) and value else list(value or [])
    return {"type": component.get("type"), "custom_id": custom_id, "values": picked}


def command_options(
    state: FakeState,
    command: FakeCommand,
    given: Mapping[str, Any] | list[dict[str, Any]] | None,
    subcommand: str | None,
    group: str | None,
) -> dict[str, Any]:
    """``{"options": [...], "resolved": {...}}`` for the interaction's ``data``."""
    definitions: list[dict[str, Any]] = list(command.payload.get("options") or [])
    path: list[tuple[int, str]] = []
    for kind, name in ((SUB_COMMAND_GROUP, group), (SUB_COMMAND, subcommand)):
        if name is not None:
            parent = next((d for d in definitions if d.get("name") == name), None)
            if parent is None:
                raise ValueError(f"/{command.name} has no sub-command (group) {name!r}")
            definitions = list(parent.get("options") or [])
            path.append((kind, name))
    resolved: dict[str, dict[str, Any]] = {}
    options = _values(state, command, definitions, given, resolved)
    for kind, name in reversed(path):
        options = [{"type": kind, "name": name, "options": options}]
    return {"options": options, "resolved": resolved}


def _values(
    state: FakeState,
    command: FakeCommand,
    definitions: list[dict[str, Any]],
    given: Mapping[str, Any] | list[dict[str, Any]] | None,
    resolved: dict[str, dict[str, Any]],
) -> list[dict[str, Any]]:
    if given is None:
        return []
    if isinstance(given, list):
        types = {d.get("name"): d.get("type") for d in definitions}
        return [{"type": types.get(o["name"], STRING), **o} for o in given]
    out = []
    for name, value in given.items():
        definition = next((d for d in definitions if d.get("name") == name), None)
        if definition is None:
            raise ValueError(f"/{command.name} has no option {name!r}")
        kind = int(definition.get("type") or STRING)
        out.append({"type": kind, "name": name, "value": _value(state, value, resolved)})
    return out


def _value(state: FakeState, value: Any, resolved: dict[str, dict[str, Any]]) -> Any:
    if isinstance(value, FakeMember):
        resolved.setdefault("users", {})[str(value.id)] = serialize.user(value.user)
        member = serialize.member(value, with_user=False)
        member["permissions"] = "0"
        resolved.setdefault("members", {})[str(value.id)] = member
        return str(value.id)
    if isinstance(value, FakeUser):
        resolved.setdefault("users", {})[str(value.id)] = serialize.user(value)
        return str(value.id)
    if isinstance(value, FakeChannel):
        payload = serialize.channel(state, value)
        payload["permissions"] = str(state.bot_permissions_in(value))
        resolved.setdefault("channels", {})[str(value.id)] = payload
        return str(value.id)
    if isinstance(value, FakeRole):
        resolved.setdefault("roles", {})[str(value.id)] = serialize.role(value)
        return str(value.id)
    return value
