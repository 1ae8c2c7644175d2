"""The candidate index's snapshot in Redis: a restarted worker serves from it at once.

Every full load of the index (graph.matching_positions) is saved under one key with a TTL; a
worker that starts with an empty cache reads it (tens of milliseconds instead of a full load
of seconds) and reloads from Neo4j in the background straight away. The snapshot is a
pre-filter like the index itself: a stale one can only cost candidates, never break a rule.
"""

from __future__ import annotations

from typing import Any, Final

from graph.matching_positions import SnapshotStore

# v2: with availability windows and the static cost terms. A v1 snapshot lacks them, and served
# from it the index would keep the nearest few per slot regardless of availability.
SNAPSHOT_KEY: Final = "tahaluf:candidate-index:v2"
# Older than this, a snapshot is not worth serving from (the worker loads from Neo4j instead).
SNAPSHOT_TTL_S: Final = 3600


def redis_snapshots(redis: Any, key: str = SNAPSHOT_KEY) -> SnapshotStore:
    """A SnapshotStore on a redis.asyncio client (e.g. arq's pool in the worker's ctx)."""

    async def load() -> bytes | None:
        data = await redis.get(key)
        return bytes(data) if data else None

    async def save(data: bytes) -> None:
        await redis.set(key, data, ex=SNAPSHOT_TTL_S)

    return SnapshotStore(load, save)
