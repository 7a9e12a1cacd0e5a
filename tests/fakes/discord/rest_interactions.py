"""Interaction callbacks and the interaction webhook (followups, @original edits)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any, Final

from aiohttp import web

from . import messages, serialize, validation
from .interactions import APPLICATION_COMMAND, MESSAGE_COMPONENT, MODAL_SUBMIT, FakeInteraction
from .messages import CHAT_INPUT_COMMAND, EPHEMERAL, LOADING, MessageSpec
from .rest_base import (
    ALREADY_ACKNOWLEDGED,
    UNKNOWN_INTERACTION,
    UNKNOWN_MESSAGE,
    UNKNOWN_WEBHOOK,
    ApiError,
    RestContext,
)
from .rest_messages import check_sendable, emit_message
from .wire import json_response, no_content

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
AddRoute = Callable[[str, str, Handler], None]
MESSAGE_WITH_SOURCE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE = 4, 5, 6, 7
AUTOCOMPLETE_RESULT, MODAL = 8, 9
_COMPONENT_ONLY: Final = {DEFERRED_UPDATE, UPDATE_MESSAGE}
WEBHOOK = "/webhooks/{application_id}/{webhook_token}"


def register(add: AddRoute, ctx: RestContext) -> None:
    routes = InteractionRoutes(ctx)
    add("POST", "/interactions/{interaction_id}/{interaction_token}/callback", routes.callback)
    add("POST", WEBHOOK, routes.followup)
    add("GET", WEBHOOK + "/messages/{message_id}", routes.get_message)
    add("PATCH", WEBHOOK + "/messages/{message_id}", routes.edit_message)
    add("DELETE", WEBHOOK + "/messages/{message_id}", routes.delete_message)


def _truthy(value: str | None) -> bool:
    return value is not None and value.lower() in ("1", "true")


class InteractionRoutes:
    def __init__(self, ctx: RestContext) -> None:
        self.ctx = ctx
        self.state = ctx.state

    # --- POST /interactions/{id}/{token}/callback -------------------------------------

    async def callback(self, request: web.Request) -> web.StreamResponse:
        interaction = self._interaction(request)
        body = self.ctx.body(request)
        kind = int(body.get("type") or 0)
        data: dict[str, Any] = body.get("data") or {}
        where = f"callback {kind} to interaction {interaction.id}"
        self._check_timing(interaction, where)
        self._check_kind(interaction, kind, data, where, bool(self.ctx.files(request)))
        interaction.callbacks.append({"type": kind, "data": data})
        message = self._respond(interaction, kind, data, request)
        interaction.notify()
        if not _truthy(request.query.get("with_response")):
            return no_content()
        return json_response(self._callback_payload(interaction, kind, message))

    def _interaction(self, request: web.Request) -> FakeInteraction:
        raw = request.match_info["interaction_id"]
        found = self.ctx.interactions.get(int(raw)) if raw.isdigit() else None
        if found is None or found.token != request.match_info["interaction_token"]:
            raise ApiError(404, "Unknown interaction", UNKNOWN_INTERACTION)
        return found

    def _check_timing(self, interaction: FakeInteraction, where: str) -> None:
        age = time.monotonic() - interaction.created_at
        deadline = self.ctx.settings.interaction_deadline
        if age > deadline:
            self.ctx.violations.append(
                f"{where}: sent {age:.2f}s after creation (limit {deadline}s)"
            )
            if self.ctx.settings.reject_invalid:
                raise ApiError(404, "Unknown interaction", UNKNOWN_INTERACTION)
        if interaction.responded:
            self.ctx.violations.append(f"{where}: interaction was already acknowledged")
            if self.ctx.settings.reject_invalid:
                raise ApiError(
                    400, "Interaction has already been acknowledged.", ALREADY_ACKNOWLEDGED
                )

    def _check_kind(
        self, interaction: FakeInteraction, kind: int, data: dict[str, Any], where: str, files: bool
    ) -> None:
        problems: list[str] = []
        if kind not in (
            MESSAGE_WITH_SOURCE,
            DEFERRED_MESSAGE,
            AUTOCOMPLETE_RESULT,
            MODAL,
            *_COMPONENT_ONLY,
        ):
            problems.append(f"{where}: unknown callback type {kind}")
        if kind in _COMPONENT_ONLY and interaction.type == APPLICATION_COMMAND:
            problems.append(f"{where}: type {kind} is only valid for component interactions")
        if kind == MODAL and interaction.type == MODAL_SUBMIT:
            problems.append(f"{where}: cannot answer a modal submit with another modal")
        if kind == MODAL:
            problems += validation.modal(data, where)
        if kind in (MESSAGE_WITH_SOURCE, UPDATE_MESSAGE):
            problems += validation.message(data, has_files=files, where=where)
        if kind == MESSAGE_WITH_SOURCE and validation.is_empty(data, has_files=files):
            problems.append(f"{where}: empty message")
        self.ctx.violate(problems)

    def _respond(
        self, interaction: FakeInteraction, kind: int, data: dict[str, Any], request: web.Request
    ) -> dict[str, Any] | None:
        if kind == MODAL:
            interaction.modal = data
            return None
        if kind in _COMPONENT_ONLY:
            interaction.message = interaction.source_message
            if kind == UPDATE_MESSAGE and interaction.source_message is not None:
                self._edit(interaction, interaction.source_message, data, request)
            return interaction.message
        if kind in (MESSAGE_WITH_SOURCE, DEFERRED_MESSAGE):
            flags = int(data.get("flags") or 0) & EPHEMERAL
            if kind == DEFERRED_MESSAGE:
                data = {"flags": flags | LOADING}
            interaction.message = self._create(interaction, data, request)
            return interaction.message
        return None

    def _callback_payload(
        self, interaction: FakeInteraction, kind: int, message: dict[str, Any] | None
    ) -> dict[str, Any]:
        flags = int((message or {}).get("flags") or 0)
        summary: dict[str, Any] = {"id": str(interaction.id), "type": interaction.type}
        resource: dict[str, Any] = {"type": kind}
        if message is not None:
            summary["response_message_id"] = message["id"]
            summary["response_message_loading"] = bool(flags & LOADING)
            summary["response_message_ephemeral"] = bool(flags & EPHEMERAL)
            resource["message"] = message
        return {"interaction": summary, "resource": resource}

    # --- messages created through the interaction ------------------------------------

    def _create(
        self, interaction: FakeInteraction, data: dict[str, Any], request: web.Request
    ) -> dict[str, Any]:
        files = self.ctx.files(request)
        spec = MessageSpec.from_body(
            data, messages.file_attachments(self.state, interaction.channel.id, data, files)
        )
        spec.flags = int(data.get("flags") or 0)
        spec.webhook_id = self.state.application_id
        spec.interaction_metadata = self._metadata(interaction)
        if interaction.type == APPLICATION_COMMAND:
            spec.type = CHAT_INPUT_COMMAND
        message = messages.build(self.state, interaction.channel, self.state.bot, spec)
        if not spec.flags & EPHEMERAL:
            emit_message(self.ctx, "MESSAGE_CREATE", message)
        return message

    def _edit(
        self,
        interaction: FakeInteraction,
        message: dict[str, Any],
        body: dict[str, Any],
        request: web.Request,
    ) -> None:
        files = self.ctx.files(request)
        attachments = messages.file_attachments(self.state, interaction.channel.id, body, files)
        messages.apply_edit(message, body, attachments)
        message["flags"] = int(message.get("flags") or 0) & ~LOADING
        if not message["flags"] & EPHEMERAL:
            emit_message(self.ctx, "MESSAGE_UPDATE", message)

    def _metadata(self, interaction: FakeInteraction) -> dict[str, Any]:
        meta: dict[str, Any] = {
            "id": str(interaction.id),
            "type": interaction.type,
            "user": serialize.user(interaction.member.user),
            "authorizing_integration_owners": {"0": str(interaction.channel.guild_id)},
        }
        if interaction.type == APPLICATION_COMMAND:
            meta.update(name=interaction.command_name, command_type=1)
        if interaction.type == MESSAGE_COMPONENT and interaction.source_message is not None:
            meta["interacted_message_id"] = interaction.source_message["id"]
        return meta

    # --- /webhooks/{application_id}/{token} ------------------------------------------

    def _webhook_interaction(self, request: web.Request) -> FakeInteraction:
        interaction = self.ctx.interaction_by_token(request.match_info["webhook_token"])
        if not interaction.responded:
            where = f"{request.method} webhook of interaction {interaction.id}"
            self.ctx.violations.append(f"{where}: used before the initial response")
            raise ApiError(404, "Unknown Webhook", UNKNOWN_WEBHOOK)
        return interaction

    def _target(self, request: web.Request, interaction: FakeInteraction) -> dict[str, Any]:
        raw = request.match_info["message_id"]
        if raw == "@original":
            message = interaction.message
        else:
            candidates = [m for m in interaction.followups if m["id"] == raw]
            message = candidates[0] if candidates else None
        if message is None or int(message["id"]) not in self.state.messages:
            raise ApiError(404, "Unknown Message", UNKNOWN_MESSAGE)
        return message

    async def followup(self, request: web.Request) -> web.StreamResponse:
        interaction = self._webhook_interaction(request)
        body = self.ctx.body(request)
        where = f"followup to interaction {interaction.id}"
        check_sendable(self.ctx, body, bool(self.ctx.files(request)), where)
        pending = interaction.message
        if pending is not None and int(pending.get("flags") or 0) & LOADING:
            self._edit(interaction, pending, body, request)  # the first followup fills a defer
            message = pending
        else:
            message = self._create(interaction, body, request)
        interaction.followups.append(message)
        interaction.notify()
        return json_response(message) if _truthy(request.query.get("wait")) else no_content()

    async def get_message(self, request: web.Request) -> web.Response:
        interaction = self._webhook_interaction(request)
        return json_response(self._target(request, interaction))

    async def edit_message(self, request: web.Request) -> web.Response:
        interaction = self._webhook_interaction(request)
        message = self._target(request, interaction)
        body = self.ctx.body(request)
        where = f"edit of message {message['id']} via interaction {interaction.id}"
        self.ctx.violate(validation.message(body, has_files=False, where=where))
        self._edit(interaction, message, body, request)
        interaction.notify()
        return json_response(message)

    async def delete_message(self, request: web.Request) -> web.Response:
        interaction = self._webhook_interaction(request)
        message = self._target(request, interaction)
        del self.state.messages[int(message["id"])]
        if not int(message.get("flags") or 0) & EPHEMERAL:
            event = {"id": message["id"], "channel_id": message["channel_id"]}
            if "guild_id" in message:
                event["guild_id"] = message["guild_id"]
            self.ctx.gateway.emit("MESSAGE_DELETE", event)
        return no_content()
