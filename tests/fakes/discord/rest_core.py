"""REST routes for login/connect, application commands, guilds, channels and users."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from . import serialize, validation
from .models import FakeCommand
from .rest_base import (
    RECORD,
    UNKNOWN_COMMAND,
    UNKNOWN_MEMBER,
    UNKNOWN_USER,
    ApiError,
    RestContext,
)
from .wire import json_response, no_content

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
AddRoute = Callable[[str, str, Handler], None]


def register(add: AddRoute, ctx: RestContext) -> None:
    core = CoreRoutes(ctx)
    add("GET", "/gateway", core.gateway)
    add("GET", "/gateway/bot", core.gateway_bot)
    add("GET", "/users/{user_id}", core.get_user)
    add("POST", "/users/@me/channels", core.create_dm)
    for path in ("/applications/@me", "/oauth2/applications/@me"):
        add("GET", path, core.application)
    add("PATCH", "/applications/@me", core.application)
    for scope in (
        "/applications/{application_id}",
        "/applications/{application_id}/guilds/{guild_id}",
    ):
        add("GET", scope + "/commands", core.list_commands)
        add("PUT", scope + "/commands", core.bulk_overwrite)
        add("POST", scope + "/commands", core.upsert_command)
        add("GET", scope + "/commands/{command_id}", core.get_command)
        add("PATCH", scope + "/commands/{command_id}", core.edit_command)
        add("DELETE", scope + "/commands/{command_id}", core.delete_command)
    add("GET", "/applications/{application_id}/guilds/{guild_id}/commands/permissions", core.empty)
    add("GET", "/applications/{application_id}/emojis", core.no_items)
    add("GET", "/applications/{application_id}/entitlements", core.empty)
    add("GET", "/guilds/{guild_id}", core.get_guild)
    add("GET", "/guilds/{guild_id}/channels", core.guild_channels)
    add("GET", "/guilds/{guild_id}/roles", core.guild_roles)
    add("GET", "/guilds/{guild_id}/members", core.guild_members)
    add("GET", "/guilds/{guild_id}/members/{user_id}", core.guild_member)
    add("GET", "/channels/{channel_id}", core.get_channel)
    add("PATCH", "/channels/{channel_id}", core.edit_channel)


class CoreRoutes:
    def __init__(self, ctx: RestContext) -> None:
        self.ctx = ctx
        self.state = ctx.state

    async def gateway(self, request: web.Request) -> web.Response:
        return json_response({"url": self.ctx.gateway.url})

    async def gateway_bot(self, request: web.Request) -> web.Response:
        gateway = self.ctx.gateway
        limit = {
            "total": 1000,
            "remaining": 999,
            "reset_after": 14_400_000,
            "max_concurrency": gateway.max_concurrency,
        }
        return json_response(
            {"url": gateway.url, "shards": gateway.shard_count, "session_start_limit": limit}
        )

    async def get_user(self, request: web.Request) -> web.Response:
        raw = request.match_info["user_id"]
        if raw == "@me":
            return json_response(serialize.current_user(self.state.bot))
        user = self.state.users.get(int(raw)) if raw.isdigit() else None
        if user is None:
            raise ApiError(404, "Unknown User", UNKNOWN_USER)
        return json_response(serialize.user(user))

    async def create_dm(self, request: web.Request) -> web.Response:
        recipient = self.state.users.get(int(self.ctx.body(request).get("recipient_id") or 0))
        if recipient is None:
            raise ApiError(404, "Unknown User", UNKNOWN_USER)
        return json_response(serialize.channel(self.state, self.state.dm_channel(recipient)))

    async def application(self, request: web.Request) -> web.Response:
        return json_response(serialize.application(self.state))

    async def empty(self, request: web.Request) -> web.Response:
        return json_response([])

    async def no_items(self, request: web.Request) -> web.Response:
        return json_response({"items": []})

    # --- application commands ---------------------------------------------------------

    def _scope(self, request: web.Request) -> int | None:
        if int(request.match_info["application_id"]) != self.state.application_id:
            raise ApiError(403, "Missing Access", 50001)
        return self.ctx.guild(request).id if "guild_id" in request.match_info else None

    def _scoped(self, guild_id: int | None) -> list[FakeCommand]:
        return [c for c in self.state.commands.values() if c.guild_id == guild_id]

    def _command(self, request: web.Request) -> FakeCommand:
        guild_id = self._scope(request)
        raw = request.match_info["command_id"]
        found = self.state.commands.get(int(raw)) if raw.isdigit() else None
        if found is None or found.guild_id != guild_id:
            raise ApiError(404, "Unknown application command", UNKNOWN_COMMAND)
        return found

    def _store(self, guild_id: int | None, body: dict[str, Any]) -> FakeCommand:
        kind = int(body.get("type") or 1)
        name = str(body.get("name"))
        for existing in self._scoped(guild_id):
            if existing.name == name and existing.type == kind:
                existing.payload = body
                existing.version = self.state.snowflake()
                return existing
        command = FakeCommand(
            self.state.snowflake(), name, kind, guild_id, body, self.state.snowflake()
        )
        self.state.commands[command.id] = command
        return command

    def _render(self, commands: list[FakeCommand]) -> web.Response:
        return json_response([serialize.command(self.state, c) for c in commands])

    async def list_commands(self, request: web.Request) -> web.Response:
        return self._render(self._scoped(self._scope(request)))

    async def bulk_overwrite(self, request: web.Request) -> web.Response:
        guild_id = self._scope(request)
        bodies = request[RECORD].json or []
        where = self.ctx.where(request)
        self.ctx.violate([p for body in bodies for p in validation.command(body, where)])
        kept = [self._store(guild_id, body) for body in bodies]
        kept_ids = {c.id for c in kept}
        for stale in self._scoped(guild_id):
            if stale.id not in kept_ids:
                del self.state.commands[stale.id]
        return self._render(kept)

    async def upsert_command(self, request: web.Request) -> web.Response:
        guild_id = self._scope(request)
        body = self.ctx.body(request)
        self.ctx.violate(validation.command(body, self.ctx.where(request)))
        return self._render([self._store(guild_id, body)])

    async def get_command(self, request: web.Request) -> web.Response:
        return json_response(serialize.command(self.state, self._command(request)))

    async def edit_command(self, request: web.Request) -> web.Response:
        command = self._command(request)
        command.payload = {**command.payload, **self.ctx.body(request)}
        return json_response(serialize.command(self.state, command))

    async def delete_command(self, request: web.Request) -> web.Response:
        del self.state.commands[self._command(request).id]
        return no_content()

    # --- guilds and channels ----------------------------------------------------------

    async def get_guild(self, request: web.Request) -> web.Response:
        payload = serialize.guild_create(self.state, self.ctx.guild(request))
        for key in ("channels", "threads", "members", "presences", "voice_states", "joined_at"):
            payload.pop(key, None)
        return json_response(payload)

    async def guild_channels(self, request: web.Request) -> web.Response:
        guild = self.ctx.guild(request)
        channels = [c for c in guild.channels.values() if not c.is_thread]
        return json_response([serialize.channel(self.state, c) for c in channels])

    async def guild_roles(self, request: web.Request) -> web.Response:
        return json_response([serialize.role(r) for r in self.ctx.guild(request).roles.values()])

    async def guild_members(self, request: web.Request) -> web.Response:
        members = self.ctx.guild(request).members.values()
        return json_response([serialize.member(m) for m in members])

    async def guild_member(self, request: web.Request) -> web.Response:
        guild = self.ctx.guild(request)
        raw = request.match_info["user_id"]
        member = guild.members.get(int(raw)) if raw.isdigit() else None
        if member is None:
            raise ApiError(404, "Unknown Member", UNKNOWN_MEMBER)
        return json_response(serialize.member(member))

    async def get_channel(self, request: web.Request) -> web.Response:
        return json_response(serialize.channel(self.state, self.ctx.channel(request)))

    async def edit_channel(self, request: web.Request) -> web.Response:
        channel = self.ctx.channel(request)
        body = self.ctx.body(request)
        for key in ("name", "topic", "archived", "locked", "auto_archive_duration"):
            if key in body:
                setattr(channel, key, body[key])
        payload = serialize.channel(self.state, channel)
        event = "THREAD_UPDATE" if channel.is_thread else "CHANNEL_UPDATE"
        self.ctx.gateway.emit(event, payload)
        return json_response(payload)
