"""REST routes for messages, threads, reactions and typing in channels."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from . import messages, serialize, validation
from . import permissions as perm
from .gateway import INTENT_DIRECT_MESSAGES, INTENT_GUILD_MESSAGES
from .messages import MessageSpec
from .models import PRIVATE_THREAD, PUBLIC_THREAD, TEXT_CHANNEL, FakeChannel
from .rest_base import (
    CANNOT_EDIT_OTHERS,
    EMPTY_MESSAGE,
    THREAD_ALREADY_CREATED,
    ApiError,
    RestContext,
)
from .wire import json_response, no_content

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
AddRoute = Callable[[str, str, Handler], None]
MESSAGE = "/channels/{channel_id}/messages/{message_id}"


def register(add: AddRoute, ctx: RestContext) -> None:
    routes = MessageRoutes(ctx)
    add("POST", "/channels/{channel_id}/messages", routes.create)
    add("GET", "/channels/{channel_id}/messages", routes.history)
    add("GET", MESSAGE, routes.get)
    add("PATCH", MESSAGE, routes.edit)
    add("DELETE", MESSAGE, routes.delete)
    add("POST", MESSAGE + "/threads", routes.thread_from_message)
    add("POST", "/channels/{channel_id}/threads", routes.thread_without_message)
    add("PUT", MESSAGE + "/reactions/{emoji}/{user}", routes.react)
    add("DELETE", MESSAGE + "/reactions/{emoji}/{user}", routes.react)
    add("POST", "/channels/{channel_id}/typing", routes.typing)
    add("PUT", "/channels/{channel_id}/thread-members/{user}", routes.join_thread)
    add("DELETE", "/channels/{channel_id}/thread-members/{user}", routes.join_thread)


def emit_message(ctx: RestContext, event: str, message: dict[str, Any]) -> None:
    intent = INTENT_GUILD_MESSAGES if "guild_id" in message else INTENT_DIRECT_MESSAGES
    ctx.gateway.emit(event, message, intent=intent, redact=True)


def check_sendable(ctx: RestContext, body: dict[str, Any], has_files: bool, where: str) -> None:
    """Discord's checks on a new message body; empty bodies are always refused."""
    if validation.is_empty(body, has_files=has_files):
        ctx.violations.append(f"{where}: empty message (no content, embeds, components or files)")
        if ctx.settings.reject_invalid:
            raise ApiError(400, "Cannot send an empty message", EMPTY_MESSAGE)
    ctx.violate(validation.message(body, has_files=has_files, where=where))


class MessageRoutes:
    def __init__(self, ctx: RestContext) -> None:
        self.ctx = ctx
        self.state = ctx.state

    async def create(self, request: web.Request) -> web.Response:
        channel = self.ctx.channel(request)
        if channel.guild_id is not None:
            bit = perm.SEND_MESSAGES_IN_THREADS if channel.is_thread else perm.SEND_MESSAGES
            self.ctx.require(channel, bit)
        files = self.ctx.files(request)
        if files and channel.guild_id is not None:
            self.ctx.require(channel, perm.ATTACH_FILES)
        body = self.ctx.body(request)
        check_sendable(self.ctx, body, bool(files), self.ctx.where(request))
        earlier = self._same_nonce(channel, body)
        if earlier is not None:
            return json_response(earlier)
        attachments = messages.file_attachments(self.state, channel.id, body, files)
        if channel.is_thread and channel.archived and not channel.locked:
            channel.archived = False
        message = messages.build(
            self.state, channel, self.state.bot, MessageSpec.from_body(body, attachments)
        )
        emit_message(self.ctx, "MESSAGE_CREATE", message)
        if body.get("nonce") is not None:
            self.state.nonces.remember(channel.id, self.state.bot.id, body["nonce"], message)
        return json_response(message)

    def _same_nonce(self, channel: FakeChannel, body: dict[str, Any]) -> dict[str, Any] | None:
        """Discord's rule: with ``enforce_nonce``, a nonce the same author used in the same
        channel within the last few minutes returns that message instead of a new one."""
        if not body.get("enforce_nonce") or body.get("nonce") is None:
            return None
        found = self.state.nonces.find(channel.id, self.state.bot.id, body["nonce"])
        # Assumed: a deleted message no longer holds its nonce (a withdrawn post can be re-sent).
        return None if found is None else self.state.messages.get(int(found["id"]))

    async def history(self, request: web.Request) -> web.Response:
        channel = self.ctx.channel(request)
        self.ctx.require(channel, perm.READ_MESSAGE_HISTORY)
        limit = int(request.query.get("limit", "50"))
        before = int(request.query.get("before", str(1 << 63)))
        after = int(request.query.get("after", "0"))
        found = [
            m
            for mid, m in sorted(self.state.messages.items(), reverse=True)
            if m["channel_id"] == str(channel.id) and after < mid < before
        ]
        return json_response(found[:limit])

    async def get(self, request: web.Request) -> web.Response:
        channel = self.ctx.channel(request)
        self.ctx.require(channel, perm.READ_MESSAGE_HISTORY)
        return json_response(self.ctx.message(request, channel))

    async def edit(self, request: web.Request) -> web.Response:
        channel = self.ctx.channel(request)
        message = self.ctx.message(request, channel)
        if message["author"]["id"] != str(self.state.bot.id):
            raise ApiError(
                403, "Cannot edit a message authored by another user", CANNOT_EDIT_OTHERS
            )
        body = self.ctx.body(request)
        self.ctx.violate(validation.message(body, has_files=False, where=self.ctx.where(request)))
        files = self.ctx.files(request)
        messages.apply_edit(
            message, body, messages.file_attachments(self.state, channel.id, body, files)
        )
        emit_message(self.ctx, "MESSAGE_UPDATE", message)
        return json_response(message)

    async def delete(self, request: web.Request) -> web.Response:
        channel = self.ctx.channel(request)
        message = self.ctx.message(request, channel)
        if message["author"]["id"] != str(self.state.bot.id):
            self.ctx.require(channel, perm.MANAGE_MESSAGES)
        del self.state.messages[int(message["id"])]
        event = {"id": message["id"], "channel_id": message["channel_id"]}
        if "guild_id" in message:
            event["guild_id"] = message["guild_id"]
        intent = INTENT_GUILD_MESSAGES if "guild_id" in message else INTENT_DIRECT_MESSAGES
        self.ctx.gateway.emit("MESSAGE_DELETE", event, intent=intent)
        return no_content()

    async def thread_from_message(self, request: web.Request) -> web.Response:
        channel = self.ctx.channel(request)
        message = self.ctx.message(request, channel)
        if channel.type != TEXT_CHANNEL:
            raise ApiError(400, "Cannot execute action on this channel type", 50024)
        self.ctx.require(channel, perm.CREATE_PUBLIC_THREADS)
        if int(message["id"]) in self.state.channels:
            raise ApiError(
                400, "A thread has already been created for this message", THREAD_ALREADY_CREATED
            )
        body = self.ctx.body(request)
        thread = self._open_thread(request, channel, body, PUBLIC_THREAD, int(message["id"]))
        message["thread"] = serialize.thread(thread)
        return self._thread_created(thread)

    async def thread_without_message(self, request: web.Request) -> web.Response:
        channel = self.ctx.channel(request)
        body = self.ctx.body(request)
        kind = int(body.get("type") or PRIVATE_THREAD)
        needed = (
            perm.CREATE_PUBLIC_THREADS if kind == PUBLIC_THREAD else perm.CREATE_PRIVATE_THREADS
        )
        self.ctx.require(channel, needed)
        return self._thread_created(self._open_thread(request, channel, body, kind, None))

    def _open_thread(
        self,
        request: web.Request,
        parent: FakeChannel,
        body: dict[str, Any],
        kind: int,
        thread_id: int | None,
    ) -> FakeChannel:
        name = str(body.get("name") or "")
        if not 1 <= len(name) <= 100:
            self.ctx.violate([f"{self.ctx.where(request)}: thread name must be 1-100 chars"])
        duration = int(body.get("auto_archive_duration") or 1440)
        return self.state.add_thread(
            parent,
            name,
            self.state.bot.id,
            thread_id=thread_id,
            kind=kind,
            auto_archive_duration=duration,
        )

    def _thread_created(self, thread: FakeChannel) -> web.Response:
        payload = serialize.thread(thread)
        payload["member"] = serialize.thread_member(thread, self.state.bot.id)
        self.ctx.gateway.emit("THREAD_CREATE", {**payload, "newly_created": True})
        return json_response(payload, status=201)

    async def react(self, request: web.Request) -> web.Response:
        channel = self.ctx.channel(request)
        self.ctx.message(request, channel)
        if request.method == "PUT":
            self.ctx.require(channel, perm.ADD_REACTIONS, perm.READ_MESSAGE_HISTORY)
        return no_content()

    async def typing(self, request: web.Request) -> web.Response:
        self.ctx.channel(request)
        return no_content()

    async def join_thread(self, request: web.Request) -> web.Response:
        thread = self.ctx.channel(request)
        raw = request.match_info["user"]
        user_id = self.state.bot.id if raw == "@me" else int(raw)
        if request.method == "PUT":
            thread.member_ids.add(user_id)
        else:
            thread.member_ids.discard(user_id)
        return no_content()
