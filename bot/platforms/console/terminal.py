"""Lines typed at a terminal, read by the event loop itself (no thread).

A line read in a worker thread would keep the process alive after Ctrl-C until Enter is pressed
(the loop's shutdown waits for that thread); read here, Ctrl-C stops the console at once.
Bytes that are not UTF-8 become U+FFFD instead of losing the line.
"""

from __future__ import annotations

import asyncio
import os

CHUNK = 65_536


class TerminalLines:
    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._buffer = b""

    async def readline(self) -> str:
        """The next line with its newline; what is left (maybe "") at end of input."""
        while b"\n" not in self._buffer:
            chunk = await self._chunk()
            if not chunk:
                rest, self._buffer = self._buffer, b""
                return rest.decode("utf-8", errors="replace")
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return (line + b"\n").decode("utf-8", errors="replace")

    async def _chunk(self) -> bytes:
        loop = asyncio.get_running_loop()
        readable = loop.create_future()

        def ready() -> None:
            if not readable.done():
                readable.set_result(None)

        loop.add_reader(self.fd, ready)
        try:
            await readable
        finally:
            loop.remove_reader(self.fd)
        return os.read(self.fd, CHUNK)
