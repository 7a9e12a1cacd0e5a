"""How evenly the bank spreads over probes, technologies, domains and the topics it must cover."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from drills.schema import Drill, Probe

MAX_TOPIC_SHARE = 0.12
MIN_PROBE_SHARE = 0.12

# A technology or domain counts for a prompt when any of its words appears in it (whole words).
TOPICS: Mapping[str, tuple[str, ...]] = {
    "PostgreSQL": ("postgres", "postgresql", "pgbouncer"),
    "MySQL": ("mysql", "aurora"),
    "Redis": ("redis",),
    "Kafka": ("kafka",),
    "Kubernetes": ("kubernetes", "k8s", "pod", "pods", "kubelet"),
    "Elasticsearch": ("elasticsearch", "opensearch"),
    "DynamoDB": ("dynamodb",),
    "S3/object storage": ("s3", "object storage", "bucket"),
    "CDN": ("cdn",),
    "gRPC/GraphQL": ("grpc", "graphql"),
    "queues (SQS/RabbitMQ)": ("sqs", "rabbitmq"),
    "payments/billing": (
        "payment",
        "payments",
        "billing",
        "invoice",
        "invoices",
        "refund",
        "refunds",
    ),
    "e-commerce/checkout": ("checkout", "cart", "storefront", "shop"),
    "ML/LLM": (
        "llm",
        "llms",
        "embedding",
        "embeddings",
        "machine learning",
        "ml model",
        "inference",
    ),
    "mobile apps": ("ios", "android", "mobile app"),
    "ride/delivery logistics": ("driver", "drivers", "courier", "couriers", "scooter", "ride"),
}

# Topics the bank must cover, each by a tag on at least one drill.
REQUIRED_TAGS: Mapping[str, str] = {
    "race-condition": "race conditions and isolation levels",
    "backup-restore": "backup and restore after an accidental delete",
    "leader-election": "leader election and split brain",
    "multi-tenancy": "multi-tenancy",
    "slo": "SLOs and error budgets",
    "postmortem": "postmortems",
    "frontend-performance": "web front-end performance",
    "llm": "LLM and RAG systems",
    "capacity-planning": "capacity planning",
    "incident-command": "incident command",
    "api-design": "API design from scratch",
    "expand-contract": "expand/contract schema changes",
    "code-review": "code review",
    "roadmap": "technical roadmaps",
    "news-feed": "a news feed",
}


def mentions(prompt: str, words: Iterable[str]) -> bool:
    text = prompt.casefold()
    return any(re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) for word in words)


def topic_shares(drills: Sequence[Drill]) -> dict[str, float]:
    """Share of prompts naming each technology or domain, largest first."""
    if not drills:
        return {}
    counts = {
        name: sum(mentions(d.prompt, words) for d in drills) for name, words in TOPICS.items()
    }
    return dict(sorted(((n, c / len(drills)) for n, c in counts.items()), key=lambda i: -i[1]))


def probe_shares(drills: Sequence[Drill]) -> dict[str, float]:
    """Share of follow-ups tagged with each probe (untagged v1 follow-ups count as none)."""
    counted = Counter(f.probe for d in drills for f in d.follow_ups)
    total = sum(counted.values())
    return {probe.value: counted[probe] / total if total else 0.0 for probe in Probe}


@dataclass(frozen=True)
class Imbalance:
    where: str
    problem: str

    def __str__(self) -> str:
        return f"{self.where}: {self.problem}"


def imbalances(drills: Sequence[Drill]) -> list[Imbalance]:
    """Every breach of the bank's balance rules: topic caps, probe floors, required topics."""
    found = [
        Imbalance("prompts", f"{name} in {share:.0%} (at most {MAX_TOPIC_SHARE:.0%})")
        for name, share in topic_shares(drills).items()
        if share > MAX_TOPIC_SHARE
    ]
    for kind in sorted({d.kind for d in drills}):
        shares = probe_shares([d for d in drills if d.kind == kind])
        found += [
            Imbalance(kind, f"probe {probe} on {share:.0%} of follow-ups (at least 12%)")
            for probe, share in shares.items()
            if share < MIN_PROBE_SHARE
        ]
    tags = {tag for d in drills for tag in d.tags}
    found += [
        Imbalance("topics", f"nothing tagged {tag} ({what})")
        for tag, what in REQUIRED_TAGS.items()
        if tag not in tags
    ]
    return found
