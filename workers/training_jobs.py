"""Background job: keep every training waitlist consistent with its free seats.

Enrollment writes already promote inside their own transaction (graph/training_enrollment.py);
this sweep catches whatever could be left over (a seat freed by a direct data fix, a capacity
raised, a crash between steps in some future write path): for each open program with free seats
and a waitlist, it promotes the first waitlisted volunteers in `seq` order, one program per
transaction, under the same program lock as enrollment. Running it twice changes nothing.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any, Final

from arq import cron
from arq.worker import func

from graph.training_enrollment import programs_to_promote, promote_waitlist
from workers.jobs import DEFAULT_QUEUE

log = logging.getLogger("tahaluf.workers.training")

PROMOTE_WAITLISTS: Final = "promote_waitlists"
PROMOTE_WAITLISTS_TIMEOUT_S: Final = 300
PROMOTE_WAITLISTS_MAX_TRIES: Final = 3


def waitlist_sweep_job_id(program_id: str | None = None) -> str:
    """One queued sweep at a time (per program when one is named): enqueuing again is a no-op."""
    return f"promote-waitlists:{program_id or 'all'}"


async def promote_waitlists(
    ctx: dict[str, Any], *, program_ids: list[str] | None = None
) -> dict[str, Any]:
    """arq job PROMOTE_WAITLISTS: promote waitlisted enrollments while seats are free."""
    now = datetime.now(UTC)
    driver = ctx["neo4j"]
    targets = program_ids if program_ids is not None else await programs_to_promote(driver, now)
    promoted: dict[str, list[str]] = {}
    for program_id in sorted(set(targets)):
        ids = await promote_waitlist(driver, program_id, now)
        if ids:
            promoted[program_id] = ids
    if promoted:
        log.info(
            "promoted %d waitlisted enrollments in %d programs",
            sum(len(v) for v in promoted.values()),
            len(promoted),
        )
    return {"programs": len(targets), "promoted": promoted}


async def enqueue_waitlist_sweep(redis: Any, program_id: str | None = None) -> Any:
    """Ask the worker for a sweep (of one program, or all); returns the arq Job or None."""
    kwargs: dict[str, Any] = {} if program_id is None else {"program_ids": [program_id]}
    return await redis.enqueue_job(
        PROMOTE_WAITLISTS,
        _job_id=waitlist_sweep_job_id(program_id),
        _queue_name=DEFAULT_QUEUE,
        **kwargs,
    )


# What workers/settings.py registers: the job itself, and a sweep every 10 minutes.
PROMOTE_WAITLISTS_FUNCTION: Final = func(
    promote_waitlists,
    name=PROMOTE_WAITLISTS,
    timeout=PROMOTE_WAITLISTS_TIMEOUT_S,
    max_tries=PROMOTE_WAITLISTS_MAX_TRIES,
)
PROMOTE_WAITLISTS_CRON: Final = cron(
    promote_waitlists,
    name=f"cron:{PROMOTE_WAITLISTS}",
    minute=set(range(0, 60, 10)),
    timeout=PROMOTE_WAITLISTS_TIMEOUT_S,
    max_tries=1,
)
