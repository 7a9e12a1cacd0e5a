"""Faults the core and the adapters both name, without knowing the driver behind them."""

from __future__ import annotations


class StorageUnavailable(Exception):
    """The database is locked, read-only or unreachable; nothing was changed.

    Raised by ``Database.run`` for every use case, so an adapter can tell the member to try again
    in a minute instead of leaving them without a reply.
    """
