"""A protocol-level fake of Discord (REST + gateway) for offline end-to-end tests."""

from .interactions import FakeInteraction
from .models import FakeChannel, FakeCommand, FakeGuild, FakeMember, FakeRole, FakeUser
from .patching import point_discord_py_at
from .server import FakeDiscord
from .wire import RecordedRequest

__all__ = [
    "FakeChannel",
    "FakeCommand",
    "FakeDiscord",
    "FakeGuild",
    "FakeInteraction",
    "FakeMember",
    "FakeRole",
    "FakeUser",
    "RecordedRequest",
    "point_discord_py_at",
]
