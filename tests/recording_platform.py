"""A platform at the edge of the core for service tests: records every delivery, fails on request."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.cards import Card
from bot.core.ports import Posted, SendFailed


@dataclass
class Delivery:
    channel_ref: str
    thread_ref: str | None
    card: Card
    key: str


@dataclass
class RecordingPlatform:
    name: str = "test"
    deliveries: list[Delivery] = field(default_factory=list)
    failures: list[SendFailed] = field(default_factory=list)

    def fail_next(self, *failures: SendFailed) -> None:
        self.failures.extend(failures)

    async def deliver(
        self, channel_ref: str, thread_ref: str | None, card: Card, idempotency_key: str
    ) -> Posted:
        if self.failures:
            raise self.failures.pop(0)
        self.deliveries.append(Delivery(channel_ref, thread_ref, card, idempotency_key))
        number = len(self.deliveries)
        return Posted(f"msg-{number}", f"thread-{number}" if thread_ref is None else None)

    def of_type(self, kind: type) -> list[Delivery]:
        return [d for d in self.deliveries if isinstance(d.card, kind)]
