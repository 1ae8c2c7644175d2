"""`python -m tests.workers.worker_process QUEUE [MAX_JOBS]`: a real worker process (no cron
jobs) that the crash tests kill with SIGKILL mid-run."""

from __future__ import annotations

import asyncio
import sys

from workers.settings import run_workers


def main() -> None:
    overrides = {"max_jobs": int(sys.argv[2])} if len(sys.argv) > 2 else {}
    asyncio.run(run_workers([sys.argv[1]], cron_jobs=[], poll_delay=0.02, **overrides))


if __name__ == "__main__":
    main()
