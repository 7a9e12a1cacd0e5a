"""Web API methods of the fake other than ``chat.*``, and the method registry."""

from __future__ import annotations

import base64
import binascii
import secrets
from collections.abc import Callable

from tests.fakes.slack.api_request import ApiRequest, existing_channel, existing_user
from tests.fakes.slack.methods_chat import CHAT_METHODS
from tests.fakes.slack.methods_files import FILE_METHODS
from tests.fakes.slack.methods_history import HISTORY_METHODS
from tests.fakes.slack.models import JSON, ApiError
from tests.fakes.slack.validation import check_view
from tests.fakes.slack.workspace import Workspace

Handler = Callable[[Workspace, ApiRequest], JSON]

#: Methods that need no token, and the one that needs an app-level (xapp-) token.
NO_TOKEN_METHODS = frozenset({"api.test", "oauth.v2.access"})
APP_TOKEN_METHODS = frozenset({"apps.connections.open"})


def api_test(ws: Workspace, req: ApiRequest) -> JSON:
    return {"ok": True, "args": req.params}


def auth_test(ws: Workspace, req: ApiRequest) -> JSON:
    token = req.bot_token
    user = ws.find_user(token.user_id)
    body: JSON = {
        "ok": True,
        "url": f"https://{ws.team_domain}.slack.com/",
        "team": ws.team_name,
        "user": user.name if user else "",
        "team_id": ws.team_id,
        "user_id": token.user_id,
        "is_enterprise_install": False,
    }
    if token.kind == "bot":
        body["bot_id"] = ws.bot_id
    return body


def users_info(ws: Workspace, req: ApiRequest) -> JSON:
    user = ws.find_user(existing_user(ws, req))
    assert user is not None
    return {"ok": True, "user": user.to_api()}


def conversations_info(ws: Workspace, req: ApiRequest) -> JSON:
    return {"ok": True, "channel": existing_channel(ws, req).to_api()}


def conversations_join(ws: Workspace, req: ApiRequest) -> JSON:
    channel = existing_channel(ws, req)
    if channel.is_private or channel.is_im:
        raise ApiError("method_not_supported_for_channel_type")
    if channel.archived:
        raise ApiError("is_archived")
    body: JSON = {"ok": True}
    if channel.bot_member:
        body.update(
            warning="already_in_channel", response_metadata={"warnings": ["already_in_channel"]}
        )
    channel.bot_member = True
    body["channel"] = channel.to_api()
    return body


def conversations_open(ws: Workspace, req: ApiRequest) -> JSON:
    users = [u for u in req.required("users", "users_list_not_supplied").split(",") if u]
    if len(users) != 1 or ws.find_user(users[0]) is None:
        raise ApiError("user_not_found")
    channel = ws.channels[ws.open_dm(users[0])]
    return {
        "ok": True,
        "channel": channel.to_api() if req.flag("return_im") else {"id": channel.id},
    }


def team_info(ws: Workspace, req: ApiRequest) -> JSON:
    team = {
        "id": ws.team_id,
        "name": ws.team_name,
        "url": f"https://{ws.team_domain}.slack.com/",
        "domain": ws.team_domain,
        "email_domain": "",
        "icon": {"image_default": True, "image_34": "https://a.slack-edge.com/fake_34.png"},
        "avatar_base_url": "https://ca.slack-edge.com/",
        "is_verified": False,
    }
    return {"ok": True, "team": team}


def _view_record(ws: Workspace, view: JSON, view_id: str | None = None) -> JSON:
    vid = view_id or ws.ids.new("V")
    return {
        "id": vid,
        "team_id": ws.team_id,
        "type": view.get("type"),
        "blocks": view.get("blocks", []),
        "private_metadata": view.get("private_metadata", ""),
        "callback_id": view.get("callback_id", ""),
        "state": {"values": {}},
        "hash": f"{ws.clock.next().split('.')[0]}.{secrets.token_hex(4)}",
        "title": view.get("title"),
        "clear_on_close": bool(view.get("clear_on_close", False)),
        "notify_on_close": bool(view.get("notify_on_close", False)),
        "close": view.get("close"),
        "submit": view.get("submit"),
        "previous_view_id": None,
        "root_view_id": vid,
        "app_id": ws.app_id,
        "external_id": view.get("external_id", ""),
        "app_installed_team_id": ws.team_id,
        "bot_id": ws.bot_id,
    }


def _view_param(req: ApiRequest, kind: str) -> JSON:
    view = req.obj("view")
    if view is None or view.get("type") != kind:
        raise ApiError(
            "invalid_arguments", response_metadata={"messages": [f"view must be {kind}"]}
        )
    return view


def views_publish(ws: Workspace, req: ApiRequest) -> JSON:
    user_id = existing_user(ws, req, "user_id")
    view = _view_param(req, "home")
    ws.violations.extend(check_view(req.method, view))
    record = _view_record(ws, view, ws.home_views.get(user_id, {}).get("id"))
    ws.home_views[user_id] = record
    return {"ok": True, "view": record}


def views_open(ws: Workspace, req: ApiRequest) -> JSON:
    trigger_id = req.required("trigger_id", "invalid_trigger_id")
    view = _view_param(req, "modal")
    ws.violations.extend(check_view(req.method, view))
    record = _view_record(ws, view)
    ws.opened_views.append({**record, "trigger_id": trigger_id})
    return {"ok": True, "view": record}


def views_update(ws: Workspace, req: ApiRequest) -> JSON:
    view_id, external_id = req.opt("view_id"), req.opt("external_id")
    view = _view_param(req, "modal")
    ws.violations.extend(check_view(req.method, view))
    for index, old in enumerate(ws.opened_views):
        if old["id"] == view_id or (external_id and old["external_id"] == external_id):
            record = _view_record(ws, view, old["id"])
            ws.opened_views[index] = {**record, "trigger_id": old["trigger_id"]}
            return {"ok": True, "view": record}
    raise ApiError("not_found")


def apps_connections_open(ws: Workspace, req: ApiRequest) -> JSON:
    return {"ok": True, "url": ws.issue_socket_url()}


def _client_credentials(req: ApiRequest) -> tuple[str, str]:
    auth = req.headers.get("Authorization", "")
    if auth.startswith("Basic "):
        try:
            client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise ApiError("invalid_client_id") from exc
        return client_id, secret
    return req.opt("client_id") or "", req.opt("client_secret") or ""


def oauth_v2_access(ws: Workspace, req: ApiRequest) -> JSON:
    client_id, secret = _client_credentials(req)
    if client_id != ws.client_id:
        raise ApiError("invalid_client_id")
    if secret != ws.client_secret:
        raise ApiError("bad_client_secret")
    grant = ws.oauth_grants.pop(req.opt("code") or "", None)
    if grant is None:
        raise ApiError("invalid_code")
    authed_user: JSON = {"id": grant.installer}
    if grant.user_scope:
        authed_user.update(
            scope=grant.user_scope,
            token_type="user",
            access_token=ws.issue_token("user", grant.installer, grant.user_scope),
        )
    return {
        "ok": True,
        "app_id": ws.app_id,
        "authed_user": authed_user,
        "scope": grant.scope,
        "token_type": "bot",
        "access_token": ws.issue_token("bot", ws.bot_user_id, grant.scope),
        "bot_user_id": ws.bot_user_id,
        "team": {"id": ws.team_id, "name": ws.team_name},
        "enterprise": None,
        "is_enterprise_install": False,
    }


METHODS: dict[str, Handler] = {
    **CHAT_METHODS,
    **HISTORY_METHODS,
    **FILE_METHODS,
    "api.test": api_test,
    "auth.test": auth_test,
    "users.info": users_info,
    "conversations.info": conversations_info,
    "conversations.join": conversations_join,
    "conversations.open": conversations_open,
    "team.info": team_info,
    "views.publish": views_publish,
    "views.open": views_open,
    "views.update": views_update,
    "apps.connections.open": apps_connections_open,
    "oauth.v2.access": oauth_v2_access,
}
