"""Putting work on the queues: what the API (and other jobs) call to start background work.

Matching jobs carry `_job_id = "match:{run_id}"`, so enqueuing one run twice runs it once.
Urgent runs go on their own queue so bulk work never delays the operations room.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from arq.connections import ArqRedis
from neo4j import AsyncDriver
from redis.asyncio import Redis

from graph import runs
from workers.jobs import (
    DEFAULT_QUEUE,
    IMPORT_CSV,
    RUN_MATCHING,
    URGENT_QUEUE,
    import_job_id,
    matching_job_id,
)


def as_arq(redis: Redis) -> ArqRedis:
    """An ArqRedis view over any redis.asyncio client (sharing its connection pool)."""
    if isinstance(redis, ArqRedis):
        return redis
    return ArqRedis(connection_pool=redis.connection_pool)


def queue_for(urgent: bool) -> str:
    return URGENT_QUEUE if urgent else DEFAULT_QUEUE


async def enqueue_matching(redis: Redis, run_id: str, urgent: bool) -> bool:
    """Queue the run (urgent ones on the urgent queue). False if it was already queued/run."""
    job = await as_arq(redis).enqueue_job(
        RUN_MATCHING, run_id, _job_id=matching_job_id(run_id), _queue_name=queue_for(urgent)
    )
    return job is not None


async def enqueue_refill(
    redis: Redis,
    driver: AsyncDriver,
    shift_id: str,
    exclude_volunteers: Sequence[str] = (),
    *,
    urgent: bool | None = None,
    allow_exchange: bool | None = None,
    requested_by: str | None = None,
) -> dict[str, Any] | None:
    """Create a REFILL MatchingRun for one shift (without `exclude_volunteers`) and queue it.

    Used after a decline, a cancellation, an expired proposal or a declined exchange. Unless
    told, the refill keeps the coordinator's choice: urgent when the shift is or its last run
    was, and borrowing only if that run allowed exchange. Returns the run, or None when the
    shift does not exist or has no open slot left.
    """
    owners = await runs.shift_owners(driver, [shift_id])
    owner = owners.get(shift_id)
    if owner is None:
        return None
    if await runs.open_slots(driver, [shift_id]) <= 0:
        return None
    is_urgent = bool(owner["urgent"] or owner["runUrgent"]) if urgent is None else urgent
    exchange = bool(owner["allowExchange"]) if allow_exchange is None else allow_exchange
    run = await runs.create_run(
        driver,
        association=owner["association"],
        shift_ids=[shift_id],
        urgent=is_urgent,
        allow_exchange=exchange,
        kind="REFILL",
        exclude_volunteers=exclude_volunteers,
        requested_by=requested_by,
    )
    await enqueue_matching(redis, run["id"], is_urgent)
    return run


async def enqueue_import(redis: Redis, import_id: str, text: str) -> bool:
    """Queue the CSV import `import_id` (the file travels with the job)."""
    job = await as_arq(redis).enqueue_job(
        IMPORT_CSV, import_id, text, _job_id=import_job_id(import_id), _queue_name=DEFAULT_QUEUE
    )
    return job is not None
