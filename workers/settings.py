"""The arq worker: which jobs exist, on which queue, with what limits and shared resources.

`WorkerSettings` is the one definition (default queue: matching, CSV import, cron jobs);
`UrgentWorkerSettings` is its variant for the urgent queue (matching only), so urgent requests
never wait behind bulk work. `tahaluf worker --queue urgent|default|all` runs one or both
(`all`: two Worker instances in one process sharing one Neo4j driver and one process pool).

Shared resources, opened on startup and closed on shutdown:
- ctx["positions"]: the candidate index (graph.matching_positions), loading in the background
  from startup on, or served at once from its Redis snapshot (workers.index_snapshot);
- ctx["neo4j"]: one neo4j AsyncDriver;
- ctx["pool"]:  a ProcessPoolExecutor where SciPy runs (never on the event loop);
- ctx["redis"]: arq's own Redis pool (also used for pub/sub progress announcements).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import warnings
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from arq import cron
from arq.connections import RedisSettings
from arq.worker import Worker, func

from graph.driver import check_connection, create_driver
from graph.matching_positions import PositionCache
from graph.settings import get_settings
from workers.expiry_task import expire_proposals
from workers.import_task import import_csv
from workers.index_snapshot import redis_snapshots
from workers.jobs import (
    DEFAULT_QUEUE,
    EXPIRE_PROPOSALS,
    IMPORT_CSV,
    RECOMPUTE_LEDGER,
    RUN_MATCHING,
    URGENT_QUEUE,
)
from workers.matching_task import MATCHING_ARQ_TRIES, MATCHING_DEADLINE_S, run_matching
from workers.recompute_task import recompute
from workers.solve_process import warm_up
from workers.training_jobs import PROMOTE_WAITLISTS_CRON, PROMOTE_WAITLISTS_FUNCTION

log = logging.getLogger("tahaluf.workers")

SOLVER_PROCESSES = max(1, min(4, os.cpu_count() or 2))
JOB_TIMEOUT_S = 900
IMPORT_TIMEOUT_S = 1800
MAX_TRIES = 3


def _new_pool() -> ProcessPoolExecutor:
    # spawn: children never inherit the parent's event loop, sockets or driver threads.
    return ProcessPoolExecutor(
        max_workers=SOLVER_PROCESSES, mp_context=multiprocessing.get_context("spawn")
    )


async def startup(ctx: dict[str, Any]) -> None:
    """Open what is missing (a test or `--queue all` may hand in shared resources).

    Workers sharing one ctx start concurrently: one at a time here, so the second finds what
    the first opened instead of opening its own driver, pool and candidate index."""
    lock: asyncio.Lock = ctx.setdefault("_startup_lock", asyncio.Lock())
    async with lock:
        await _open(ctx)


async def _open(ctx: dict[str, Any]) -> None:
    owned: list[str] = ctx.setdefault("_owned", [])
    ctx["_users"] = ctx.get("_users", 0) + 1
    ctx.setdefault("redis_url", get_settings().redis_url)
    if "positions" not in ctx:
        redis = ctx.get("redis")
        ctx["positions"] = PositionCache(
            snapshots=redis_snapshots(redis) if redis is not None else None
        )
        owned.append("positions")
    if "neo4j" not in ctx:
        driver = create_driver()
        await check_connection(driver)
        ctx["neo4j"] = driver
        owned.append("neo4j")
    if "_positions_warm" not in ctx:
        # load the candidate index in the background, beside the solver processes' warm-up:
        # a run that arrives meanwhile waits only for what is left of it
        ctx["_positions_warm"] = asyncio.create_task(_warm_positions(ctx))
    if "pool" not in ctx:
        ctx["pool"] = _new_pool()
        owned.append("pool")
        await asyncio.get_running_loop().run_in_executor(ctx["pool"], warm_up)

    def replace_pool() -> None:
        """A child died (e.g. killed by the OOM killer): start a fresh pool."""
        old = ctx.get("pool")
        ctx["pool"] = _new_pool()
        if old is not None:
            old.shutdown(wait=False, cancel_futures=True)

    ctx.setdefault("replace_pool", replace_pool)


async def _warm_positions(ctx: dict[str, Any]) -> None:
    try:
        await ctx["positions"].get(ctx["neo4j"])
    except Exception:  # a cold cache is only slower; the first run loads it again
        log.warning("could not pre-load the candidate index", exc_info=True)


async def shutdown(ctx: dict[str, Any]) -> None:
    ctx["_users"] = ctx.get("_users", 1) - 1
    if ctx["_users"] > 0:
        return
    owned = ctx.get("_owned", [])
    warm = ctx.pop("_positions_warm", None)
    if warm is not None and not warm.done():
        warm.cancel()
    if "positions" in owned:
        await ctx.pop("positions").close()
    if "pool" in owned and ctx.get("pool") is not None:
        ctx["pool"].shutdown(wait=True, cancel_futures=True)
        ctx.pop("pool", None)
    if "neo4j" in owned and ctx.get("neo4j") is not None:
        await ctx["neo4j"].close()
        ctx.pop("neo4j", None)
    owned.clear()


MATCHING_FUNCTION = func(
    run_matching, name=RUN_MATCHING, timeout=MATCHING_DEADLINE_S + 60, max_tries=MATCHING_ARQ_TRIES
)


class WorkerSettings:
    """Default queue: matching runs, CSV import and the cron jobs."""

    functions = [
        MATCHING_FUNCTION,
        func(import_csv, name=IMPORT_CSV, timeout=IMPORT_TIMEOUT_S, max_tries=MAX_TRIES),
        func(expire_proposals, name=EXPIRE_PROPOSALS, timeout=300, max_tries=MAX_TRIES),
        func(recompute, name=RECOMPUTE_LEDGER, timeout=1800, max_tries=MAX_TRIES),
        PROMOTE_WAITLISTS_FUNCTION,
    ]
    cron_jobs = [
        # every minute, at second 0
        cron(expire_proposals, name=f"cron:{EXPIRE_PROPOSALS}", timeout=300, max_tries=1),
        # nightly, 02:30 (worker's timezone: Africa/Cairo)
        cron(recompute, name=f"cron:{RECOMPUTE_LEDGER}", hour={2}, minute={30}, timeout=1800,
             max_tries=1),
        PROMOTE_WAITLISTS_CRON,
    ]
    queue_name = DEFAULT_QUEUE
    on_startup = startup
    on_shutdown = shutdown
    job_timeout = JOB_TIMEOUT_S
    max_tries = MAX_TRIES
    max_jobs = 8
    keep_result = 3600
    poll_delay = 0.1
    health_check_interval = 30


class UrgentWorkerSettings:
    """The urgent queue: only matching runs, polled more often, never behind bulk work.

    arq has no blocking pop: a job waits up to `poll_delay` before it is seen. 20 ms costs one
    cheap ZRANGEBYSCORE 50 times a second and keeps the pickup well under the 2 s budget."""

    functions = [MATCHING_FUNCTION]
    cron_jobs: list[Any] = []
    queue_name = URGENT_QUEUE
    on_startup = startup
    on_shutdown = shutdown
    job_timeout = JOB_TIMEOUT_S
    max_tries = MAX_TRIES
    max_jobs = 8
    keep_result = 3600
    poll_delay = 0.02
    health_check_interval = 30


SETTINGS_BY_QUEUE: dict[str, type] = {"default": WorkerSettings, "urgent": UrgentWorkerSettings}


def settings_kwargs(settings_cls: type) -> dict[str, Any]:
    """The Worker keyword arguments a settings class defines (explicitly, not via __dict__)."""
    names = (
        "functions", "cron_jobs", "queue_name", "on_startup", "on_shutdown", "job_timeout",
        "max_tries", "max_jobs", "keep_result", "poll_delay", "health_check_interval",
    )
    return {name: getattr(settings_cls, name) for name in names}


def build_worker(queue: str, **overrides: Any) -> Worker:
    """A Worker for 'default' or 'urgent'; `overrides` (burst, ctx, redis_settings,
    handle_signals, cron_jobs, ...) win over the settings class."""
    from zoneinfo import ZoneInfo

    kwargs = settings_kwargs(SETTINGS_BY_QUEUE[queue])
    kwargs.setdefault("timezone", ZoneInfo("Africa/Cairo"))
    kwargs["redis_settings"] = RedisSettings.from_dsn(get_settings().redis_url)
    kwargs.update(overrides)
    return Worker(**kwargs)


def build_workers(queues: list[str], **overrides: Any) -> list[Worker]:
    """One Worker per queue, all on ONE ctx (`overrides["ctx"]` when given)."""
    ctx: dict[str, Any] = overrides.pop("ctx", None)
    if ctx is None:
        ctx = {}
    # arq's Worker keeps `ctx or {}`: an EMPTY dict would give each worker a fresh one of its
    # own (two drivers, two pools, two candidate indexes loading side by side), so it never is
    ctx.setdefault("_shared_by", list(queues))
    return [build_worker(q, ctx=ctx, **overrides) for q in queues]


async def run_workers(queues: list[str], *, burst: bool = False, **overrides: Any) -> None:
    """Run the named queues' workers in this process until a signal (or, with burst, until the
    queues are drained). They share one ctx: one Neo4j driver, one process pool and one
    candidate index (each index reloads 250K volunteers from Neo4j every few minutes)."""
    workers = build_workers(queues, burst=burst, handle_signals=False, **overrides)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, lambda s=sig: [w.handle_sig(s) for w in workers])
    try:
        await asyncio.gather(*(w.async_run() for w in workers))
    except asyncio.CancelledError:
        pass
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        for w in workers:
            await close_worker(w)


async def close_worker(worker: Worker) -> None:
    """`Worker.close()` without arq 0.28's call of redis' deprecated `close()` failing under
    warnings-as-errors (the deprecation is arq's, not ours)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        await worker.close()
