"""Use cases: each opens its own unit of work, takes the clock as ``now`` and commits on success."""
