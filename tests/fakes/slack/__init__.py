"""A protocol-level local fake of Slack for end-to-end tests with the real slack-sdk/bolt.

See ``web_api.FakeSlack`` (Web API + Socket Mode server), ``requests`` (what Slack sends to an
app: signed HTTP requests and Socket Mode envelopes) and ``server.serve_bolt_app``.
"""

from tests.fakes.slack import defaults
from tests.fakes.slack.models import Call, Channel, Ephemeral, Message, ResponseUrlPost, User
from tests.fakes.slack.requests import (
    HttpRequest,
    SlackPayload,
    app_home_opened_event,
    block_actions,
    event_callback,
    message_changed_event,
    message_deleted_event,
    message_event,
    slash_command,
    socket_envelope,
    view_submission,
)
from tests.fakes.slack.server import serve, serve_bolt_app
from tests.fakes.slack.socket_mode import SocketModeServer, socket_mode_handler
from tests.fakes.slack.web_api import FakeSlack

__all__ = [
    "Call",
    "Channel",
    "Ephemeral",
    "FakeSlack",
    "HttpRequest",
    "Message",
    "ResponseUrlPost",
    "SlackPayload",
    "SocketModeServer",
    "User",
    "app_home_opened_event",
    "block_actions",
    "defaults",
    "event_callback",
    "message_changed_event",
    "message_deleted_event",
    "message_event",
    "serve",
    "serve_bolt_app",
    "slash_command",
    "socket_envelope",
    "socket_mode_handler",
    "view_submission",
]
