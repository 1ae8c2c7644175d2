"""The matching run job: load (Neo4j) -> solve (process pool) -> write (one transaction).

Progress: 0.05 when started, 0.2 once the problem is loaded, 0.2..0.9 while the engine
solves, 1.0 when committed. Every change is written to the run node and announced on the
Redis channel `run:{id}`.

Each run logs one line with the time of each stage (queue wait, start, index, load, solve,
commit, publish) and keeps it as JSON on the run node (`timings`), see workers.run_timing.

Retries are safe: a run that is already SUCCEEDED/FAILED is left alone, and the commit itself
is idempotent by run id (it does nothing if the run already PRODUCED assignments), so a worker
that died after committing and is re-run by arq commits nothing twice.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from arq import Retry
from neo4j.exceptions import ServiceUnavailable, SessionExpired, TransientError

from graph import runs
from graph.matching_commit import commit_result
from graph.matching_load import WIDEN_FACTOR, LoadedProblem, LoadError, load_problem
from workers.jobs import run_channel
from workers.run_timing import RunClock
from workers.solve_process import progress_key, solve_instance

log = logging.getLogger("tahaluf.workers.matching")

# Our own deadline, inside arq's job timeout, so a stuck run ends FAILED with a message.
MATCHING_DEADLINE_S = 600.0
MATCHING_MAX_TRIES = 3
# arq counts every start, also one whose worker was killed: it gets one start more than the
# attempts we make, so a run whose worker died on every attempt is still marked FAILED with a
# reason (arq alone would drop the job and leave the run RUNNING forever).
MATCHING_ARQ_TRIES = MATCHING_MAX_TRIES + 1
PROGRESS_POLL_S = 0.2
STARTED, LOADED, SOLVED = 0.05, 0.2, 0.9
TRANSIENT = (ServiceUnavailable, SessionExpired, TransientError, ConnectionError, BrokenProcessPool)


async def publish_run(ctx: dict[str, Any], run: dict[str, Any] | None) -> None:
    """Announce a run's state on `run:{id}` (subscribers re-read the node for the details)."""
    if not run:
        return
    message = {"id": run["id"], "status": run["status"], "progress": float(run.get("progress") or 0.0)}
    try:
        await ctx["redis"].publish(run_channel(run["id"]), json.dumps(message))
    except Exception:  # announcements are best effort; the node is the truth (subscribers poll)
        log.warning("could not publish run %s", run["id"], exc_info=True)


async def _progress(ctx: dict[str, Any], run_id: str, value: float) -> None:
    if await runs.set_progress(ctx["neo4j"], run_id, value):
        await publish_run(ctx, {"id": run_id, "status": "RUNNING", "progress": value})


async def _solve(ctx: dict[str, Any], run_id: str, instance: dict[str, Any]) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    key = progress_key(run_id)
    redis = ctx["redis"]
    await redis.delete(key)
    future = loop.run_in_executor(
        ctx["pool"], solve_instance, instance, run_id, ctx.get("redis_url"), time.time()
    )
    last = LOADED
    try:
        while True:
            done, _ = await asyncio.wait({future}, timeout=PROGRESS_POLL_S)
            raw = await redis.get(key)
            if raw is not None:
                value = LOADED + (SOLVED - LOADED) * min(1.0, max(0.0, float(raw)))
                if value >= last + 0.01:
                    last = value
                    await _progress(ctx, run_id, round(value, 4))
            if done:
                return future.result()
    finally:
        await redis.delete(key)


def _cut_short_unfilled(problem: LoadedProblem, result: dict[str, Any]) -> bool:
    """True when the engine left a slot empty on a need whose candidate list was cut at the
    cap (more candidates could fill it; needs that had every candidate cannot gain)."""
    return any(
        (str(u["shift"]), int(u["need"])) in problem.cut_short for u in result.get("unfilled", [])
    )


def _describe(exc: BaseException) -> str:
    path = getattr(exc, "path", None)
    message = getattr(exc, "message", None)
    if path and message:
        return f"the matching problem is invalid at {path}: {message}"
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


async def _fail(ctx: dict[str, Any], run_id: str, error: str) -> dict[str, Any]:
    run = await runs.mark_failed(ctx["neo4j"], run_id, error)
    await publish_run(ctx, run)
    log.warning("matching run %s failed: %s", run_id, error)
    return {"runId": run_id, "status": "FAILED", "error": error}


async def run_matching(ctx: dict[str, Any], run_id: str) -> dict[str, Any]:
    """arq job RUN_MATCHING: fill the run's shifts and commit the result exactly once."""
    driver = ctx["neo4j"]
    clock = RunClock()
    clock.queued_since(ctx.get("enqueue_time"))
    with clock.stage("start"):
        run, startable = await runs.mark_running(driver, run_id, progress=STARTED)
    if run is None:
        return {"runId": run_id, "status": "MISSING"}
    if not startable:
        return {"runId": run_id, "status": run["status"], "skipped": True}
    if int(ctx.get("job_try") or 1) > MATCHING_MAX_TRIES:
        return await _fail(
            ctx, run_id, f"the worker stopped during each of {MATCHING_MAX_TRIES} attempts"
        )
    await publish_run(ctx, run)
    try:
        async with asyncio.timeout(MATCHING_DEADLINE_S):
            return await _execute(ctx, run, clock)
    except TimeoutError:
        return await _fail(ctx, run_id, f"matching timed out after {MATCHING_DEADLINE_S:.0f} s")
    except LoadError as exc:
        return await _fail(ctx, run_id, str(exc))
    except TRANSIENT as exc:
        if isinstance(exc, BrokenProcessPool):
            ctx["replace_pool"]()
        tries = int(ctx.get("job_try") or 1)
        if tries < MATCHING_MAX_TRIES:
            log.warning("matching run %s: transient error (try %d), retrying: %s", run_id, tries, exc)
            raise Retry(defer=tries * 2) from exc
        return await _fail(ctx, run_id, f"backing service unavailable: {_describe(exc)}")
    except Exception as exc:
        log.exception("matching run %s crashed", run_id)
        return await _fail(ctx, run_id, _describe(exc))


async def _execute(ctx: dict[str, Any], run: dict[str, Any], clock: RunClock) -> dict[str, Any]:
    driver = ctx["neo4j"]
    run_id = run["id"]
    cache = ctx.get("positions")
    with clock.stage("index"):
        positions = await cache.get(driver) if cache is not None else None

    async def load(widen: int = 1) -> LoadedProblem:
        return await load_problem(
            driver,
            positions=positions,
            shift_ids=run["shiftIds"],
            association=run["association"],
            allow_exchange=bool(run["allowExchange"]),
            urgent=bool(run["urgent"]),
            exclude_volunteers=run.get("excludeVolunteers") or [],
            widen=widen,
        )

    with clock.stage("load"):
        problem = await load()
    clock.note(
        volunteers=len(problem.instance["volunteers"]),
        slots=problem.slots_total,
        statements=int(problem.stats.get("statements", 0)),
        indexed=bool(problem.stats.get("indexed")),
        loadDetailsS=round(problem.stats.get("detailsS", 0.0), 4),
    )
    with clock.stage("loaded"):
        if await runs.set_slots_total(driver, run_id, problem.slots_total, progress=LOADED):
            await publish_run(ctx, {"id": run_id, "status": "RUNNING", "progress": LOADED})
    if problem.slots_total == 0:
        result: dict[str, Any] = {"format": "tahaluf-result/1", "assignments": [], "unfilled": []}
    else:
        with clock.stage("solve"):
            result = await _solve(ctx, run_id, problem.instance)
        clock.note(**{f"child{k[0].upper()}{k[1:]}": v for k, v in result.pop("timings", {}).items()})
        if _cut_short_unfilled(problem, result):
            # slots left empty where the candidate list was cut: once more with more of them
            with clock.stage("widen"):
                problem = await load(WIDEN_FACTOR)
                result = await _solve(ctx, run_id, problem.instance)
            result.pop("timings", None)
            clock.note(widenedVolunteers=len(problem.instance["volunteers"]))
    with clock.stage("solved"):
        await _progress(ctx, run_id, SOLVED)
    with clock.stage("commit"):
        summary = await commit_result(
            driver, run_id=run_id, shift_ids=run["shiftIds"], problem=problem, result=result
        )
    with clock.stage("publish"):
        final = summary.run if summary.run is not None else await runs.get_run(driver, run_id)
        await publish_run(ctx, final)
    clock.note(filled=summary.slots_filled)
    log.info("matching run %s (%s): %s", run_id, "urgent" if run["urgent"] else "normal", clock.line())
    try:  # after the announcement: operators' record, not on the request's path
        await runs.set_timings(driver, run_id, clock.as_json())
    except Exception:
        log.warning("could not record the timings of run %s", run_id, exc_info=True)
    return {
        "runId": run_id,
        "status": summary.status,
        "committed": summary.committed,
        "slotsFilled": summary.slots_filled,
        "exchanged": summary.exchanged,
        "dropped": summary.dropped,
        "volunteers": len(problem.instance["volunteers"]),
        "slotsTotal": problem.slots_total,
        "timings": clock.as_dict(),
    }
