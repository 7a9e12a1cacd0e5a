"""What simulated members do: talk, edit, delete, run slash commands, click, submit modals.

Each action dispatches the gateway event a real Discord would send and waits until the
frame has been written to every connected client.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import interactions, messages
from . import permissions as perm
from .gateway import INTENT_DIRECT_MESSAGES, INTENT_GUILD_MESSAGES, Gateway
from .interactions import FakeInteraction, ModalValues
from .messages import MessageSpec
from .models import FakeChannel, FakeCommand, FakeGuild, FakeMember
from .rest_base import RestContext
from .state import FakeState

MessageRef = Mapping[str, Any] | int | str
BUTTON = 2


class MemberActions:
    """Mixin for :class:`FakeDiscord`; relies on ``state``, ``gateway`` and ``_ctx``."""

    state: FakeState
    gateway: Gateway
    _ctx: RestContext

    async def member_says(
        self,
        channel: FakeChannel,
        member: FakeMember,
        content: str,
        *,
        embeds: list[dict[str, Any]] | None = None,
        reply_to: MessageRef | None = None,
    ) -> dict[str, Any]:
        """MESSAGE_CREATE from ``member`` in a channel or thread; returns the message."""
        reference = None
        if reply_to is not None:
            reference = {"message_id": self.message(reply_to)["id"], "channel_id": str(channel.id)}
        spec = MessageSpec(content=content, embeds=embeds or [], reference=reference)
        spec.type = messages.REPLY if reference else messages.DEFAULT
        message = messages.build(self.state, channel, member.user, spec)
        self._emit_message("MESSAGE_CREATE", message)
        await self.gateway.drain()
        return message

    async def edit_message(self, message: MessageRef, content: str) -> dict[str, Any]:
        """MESSAGE_UPDATE with the full, edited message."""
        stored = self.message(message)
        messages.apply_edit(stored, {"content": content}, [])
        self._emit_message("MESSAGE_UPDATE", stored)
        await self.gateway.drain()
        return stored

    async def delete_message(self, message: MessageRef) -> None:
        """MESSAGE_DELETE (only ids, like Discord)."""
        stored = self.state.messages.pop(int(self.message(message)["id"]))
        event = {"id": stored["id"], "channel_id": stored["channel_id"]}
        if "guild_id" in stored:
            event["guild_id"] = stored["guild_id"]
        self.gateway.emit("MESSAGE_DELETE", event, intent=_intent(stored))
        await self.gateway.drain()

    def message(self, ref: MessageRef) -> dict[str, Any]:
        """The stored (latest) version of a message given as dict or id."""
        raw = ref["id"] if isinstance(ref, Mapping) else ref
        try:
            return self.state.messages[int(raw)]
        except KeyError:
            raise LookupError(f"message {raw} does not exist (deleted?)") from None

    def _emit_message(self, event: str, message: dict[str, Any]) -> None:
        self.gateway.emit(event, message, intent=_intent(message), redact=True)

    # --- interactions -----------------------------------------------------------------

    async def invoke_slash(
        self,
        guild: FakeGuild,
        channel: FakeChannel,
        member: FakeMember,
        name: str,
        options: Mapping[str, Any] | list[dict[str, Any]] | None = None,
        *,
        subcommand: str | None = None,
        group: str | None = None,
        locale: str = "en-US",
    ) -> FakeInteraction:
        """INTERACTION_CREATE type 2 for a command the bot synced (guild first, then global)."""
        command = self._find_command(guild, name)
        required = int(command.payload.get("default_member_permissions") or 0)
        if required and self.state.permissions_in(channel, member) & required != required:
            raise PermissionError(f"{member.user.username} cannot use /{name} in #{channel.name}")
        record = interactions.new_interaction(
            self.state, interactions.APPLICATION_COMMAND, member, channel, command_name=name
        )
        built = interactions.command_options(self.state, command, options, subcommand, group)
        record.payload = interactions.slash_payload(self.state, record, command, built, locale)
        return await self._send_interaction(record)

    async def click_button(
        self, message: MessageRef, custom_id: str, member: FakeMember
    ) -> FakeInteraction:
        """INTERACTION_CREATE type 3 (component_type 2) for a button on ``message``."""
        return await self._component(message, custom_id, member, BUTTON, None)

    async def choose_select(
        self, message: MessageRef, custom_id: str, member: FakeMember, values: list[str]
    ) -> FakeInteraction:
        """INTERACTION_CREATE type 3 for a select menu on ``message``."""
        stored = self.message(message)
        component = _component_named(stored, custom_id)
        return await self._component(stored, custom_id, member, int(component["type"]), values)

    async def submit_modal(
        self,
        custom_id: str,
        member: FakeMember,
        values: ModalValues,
        *,
        channel: FakeChannel | None = None,
    ) -> FakeInteraction:
        """INTERACTION_CREATE type 5 answering the last modal the bot showed with ``custom_id``."""
        shown = self._shown_modal(custom_id, member)
        if channel is None:
            if shown is None:
                raise ValueError(
                    f"no modal {custom_id!r} was shown; pass channel= to submit anyway"
                )
            channel = shown.channel
        record = interactions.new_interaction(
            self.state,
            interactions.MODAL_SUBMIT,
            member,
            channel,
            source_message=None if shown is None else shown.source_message,
        )
        components = interactions.modal_submission(None if shown is None else shown.modal, values)
        record.payload = interactions.modal_payload(self.state, record, custom_id, components)
        return await self._send_interaction(record)

    async def _component(
        self, message: MessageRef, custom_id: str, member: FakeMember, kind: int, values: Any
    ) -> FakeInteraction:
        stored = self.message(message)
        if int(_component_named(stored, custom_id)["type"]) != kind:
            raise ValueError(f"component {custom_id!r} is not of type {kind}")
        channel = self.state.channels[int(stored["channel_id"])]
        record = interactions.new_interaction(
            self.state, interactions.MESSAGE_COMPONENT, member, channel, source_message=stored
        )
        record.payload = interactions.component_payload(self.state, record, custom_id, kind, values)
        return await self._send_interaction(record)

    async def _send_interaction(self, record: FakeInteraction) -> FakeInteraction:
        if (
            not self.state.permissions_in(record.channel, record.member)
            & perm.USE_APPLICATION_COMMANDS
        ):
            raise PermissionError(f"{record.member.user.username} cannot use application commands")
        self._ctx.interactions[record.id] = record
        self.gateway.emit("INTERACTION_CREATE", record.payload)
        await self.gateway.drain()
        return record

    def _find_command(self, guild: FakeGuild, name: str) -> FakeCommand:
        commands = [c for c in self.state.commands.values() if c.name == name and c.type == 1]
        for scope in (guild.id, None):
            for command in commands:
                if command.guild_id == scope:
                    return command
        known = sorted({c.name for c in self.state.commands.values()})
        raise LookupError(f"/{name} was never synced (known commands: {known})")

    def _shown_modal(self, custom_id: str, member: FakeMember) -> FakeInteraction | None:
        for record in reversed(list(self._ctx.interactions.values())):
            shown = record.modal is not None and record.modal.get("custom_id") == custom_id
            if shown and record.member.id == member.id:
                return record
        return None


def _intent(message: Mapping[str, Any]) -> int:
    return INTENT_GUILD_MESSAGES if "guild_id" in message else INTENT_DIRECT_MESSAGES


def _component_named(message: Mapping[str, Any], custom_id: str) -> dict[str, Any]:
    stack = list(message.get("components") or [])
    while stack:
        component = stack.pop()
        if component.get("custom_id") == custom_id:
            return dict(component)
        stack.extend(component.get("components") or [])
        for key in ("component", "accessory"):
            if isinstance(component.get(key), dict):
                stack.append(component[key])
    raise ValueError(f"message {message.get('id')} has no component with custom_id {custom_id!r}")
