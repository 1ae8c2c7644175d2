"""Names of the background jobs and of the queues they run on.

Producers (the API, other jobs) enqueue by these names; `workers.settings` maps each name to
its coroutine. Keeping them here means nobody spells a job name by hand.
"""

from __future__ import annotations

from typing import Final

RUN_MATCHING: Final = "run_matching"
EXPIRE_PROPOSALS: Final = "expire_proposals"
IMPORT_CSV: Final = "import_csv"
RECOMPUTE_LEDGER: Final = "recompute_ledger"
RECOMPUTE_RELIABILITY: Final = "recompute_reliability"

# Urgent matching requests (the operations room) never wait behind bulk work.
DEFAULT_QUEUE: Final = "tahaluf:default"
URGENT_QUEUE: Final = "tahaluf:urgent"
QUEUES: Final = {"default": DEFAULT_QUEUE, "urgent": URGENT_QUEUE}


def matching_job_id(run_id: str) -> str:
    """One arq job per matching run: enqueuing the same run twice is a no-op."""
    return f"match:{run_id}"


def import_job_id(import_id: str) -> str:
    return f"import:{import_id}"


def run_channel(run_id: str) -> str:
    """Redis pub/sub channel on which a run's state changes are announced."""
    return f"run:{run_id}"
