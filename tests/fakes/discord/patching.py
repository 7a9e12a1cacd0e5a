"""Point the real discord.py at a fake: ``Route.BASE`` and ``DEFAULT_GATEWAY``.

discord.py reads both class attributes at call time (``Route.__init__`` builds the URL from
``Route.BASE``; ``DiscordWebSocket.from_client`` falls back to ``DEFAULT_GATEWAY``, a
``yarl.URL``), so patching them is enough; after READY, resumes go to the fake's
``resume_gateway_url``.
"""

from __future__ import annotations

from types import TracebackType
from typing import Protocol

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route


class _HasUrls(Protocol):
    @property
    def api_url(self) -> str: ...

    @property
    def gateway_url(self) -> str: ...


class DiscordPyPatch:
    """Undo handle: call it, or use it as a context manager; undoing twice is harmless."""

    def __init__(self, base: str, gateway: yarl.URL) -> None:
        self._saved: tuple[str, yarl.URL] | None = (base, gateway)

    def __call__(self) -> None:
        if self._saved is not None:
            Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = self._saved
            self._saved = None

    def __enter__(self) -> DiscordPyPatch:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self()


def point_discord_py_at(fake: _HasUrls) -> DiscordPyPatch:
    """Send discord.py's REST calls and gateway connections to ``fake`` until undone."""
    undo = DiscordPyPatch(Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
    Route.BASE = fake.api_url
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    return undo
