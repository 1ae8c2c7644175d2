"""Worker killed mid-run, 10 times: every run commits exactly once.

A real arq worker process (`tests.workers.worker_process`, the production WorkerSettings)
is started on a queue of matching runs and SIGKILLed (with its solver children) a random
moment after it took a job — while loading, solving or committing — ten times. A killed job
stays locked by the dead worker (arq's in-progress key) so the next worker takes fresh runs;
at the end the locks are dropped, as their expiry would, and a surviving worker retries every
interrupted run. Then, per run: SUCCEEDED, its assignments created exactly once (Assignment
nodes carrying its runId = PRODUCED edges = slotsFilled, no (volunteer, shift, need) twice),
filled + unfilled = slots; and across runs no volunteer double-booked, no need overfilled.

The jobs go through a Redis database of their own, so no other test's worker takes them.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, LiteralString

import pytest
from arq.connections import ArqRedis, RedisSettings, create_pool

from graph import runs
from graph.settings import get_settings
from tests.workers.matching_world import MatchingWorld
from tests.workers.test_no_double_booking import OVERFILLED, OVERLAPS
from workers.enqueue import enqueue_matching
from workers.jobs import DEFAULT_QUEUE, URGENT_QUEUE, matching_job_id
from workers.matching_task import MATCHING_MAX_TRIES

ROOT = Path(__file__).resolve().parents[2]
KILLS = 10
RUNS = 48
KILL_REDIS_DB = 12
WORKER_MAX_JOBS = 2
IN_PROGRESS = "arq:in-progress:"

PER_RUN: LiteralString = """
UNWIND $ids AS rid
MATCH (r:MatchingRun {id: rid})
OPTIONAL MATCH (r)-[:PRODUCED]->(p:Assignment)
WITH r, count(p) AS produced
OPTIONAL MATCH (x:Assignment {runId: r.id})-[:FOR]->(s:Shift)
OPTIONAL MATCH (v:Volunteer)-[:ASSIGNED]->(x)
RETURN r.id AS id, r.status AS status, r.error AS error, r.slotsFilled AS filled,
       r.slotsTotal AS total, r.unfilled AS unfilled, r.attempts AS attempts, produced,
       count(x) AS carrying,
       count(DISTINCT CASE WHEN x IS NOT NULL THEN [v.id, s.id, x.needIndex] END) AS distinctSlots
"""

OF_OUR_SHIFTS: LiteralString = """
MATCH (x:Assignment)-[:FOR]->(s:Shift) WHERE s.id IN $shifts RETURN count(x) AS n
"""


@pytest.fixture
async def kill_redis() -> AsyncIterator[tuple[ArqRedis, str]]:
    base = get_settings().redis_url.rsplit("/", 1)[0]
    url = f"{base}/{KILL_REDIS_DB}"
    redis = await create_pool(RedisSettings.from_dsn(url))
    await redis.ping()
    yield redis, url
    await redis.aclose()


def start_worker(
    redis_url: str, queue: str, max_jobs: int = WORKER_MAX_JOBS
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.workers.worker_process", queue, str(max_jobs)],
        cwd=ROOT, env={**os.environ, "REDIS_URL": redis_url}, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def kill(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGKILL)  # the worker and its solver children
    proc.wait(timeout=10)


async def in_progress(redis: ArqRedis, jobs: list[str]) -> set[str]:
    flags = await asyncio.gather(*(redis.exists(IN_PROGRESS + j) for j in jobs))
    return {j for j, f in zip(jobs, flags, strict=True) if f}


async def kill_mid_job(
    redis: ArqRedis, redis_url: str, queue: str, jobs: list[str], kills: int, rng: random.Random
) -> tuple[list[set[str]], set[str]]:
    """Start a worker on `queue`, SIGKILL it a random moment after it took a job; `kills`
    times. Returns the jobs each kill interrupted and all jobs left locked by dead workers."""
    hits: list[set[str]] = []
    locked: set[str] = set()
    for _ in range(2 * kills):
        proc = start_worker(redis_url, queue)
        try:
            deadline = time.monotonic() + 90
            while not (await in_progress(redis, jobs)) - locked:
                assert time.monotonic() < deadline, f"the worker took no job ({len(locked)} locked)"
                assert proc.poll() is None, "the worker process died by itself"
                await asyncio.sleep(0.01)
            # every other kill early (while loading or solving), the others anywhere up to the commit
            await asyncio.sleep(rng.uniform(0.0, 0.1 if len(hits) % 2 == 0 else 0.5))
        finally:
            kill(proc)
        hit = (await in_progress(redis, jobs)) - locked
        locked |= hit
        if hit:
            hits.append(hit)
        if len(hits) == kills:
            return hits, locked
    raise AssertionError(f"only {len(hits)} of {2 * kills} kills hit a job")


async def forget_jobs(redis: ArqRedis, jobs: list[str]) -> None:
    for job in jobs:
        await redis.delete(
            f"arq:job:{job}", f"arq:retry:{job}", f"arq:result:{job}", IN_PROGRESS + job
        )
    if jobs:
        await redis.zrem(DEFAULT_QUEUE, *jobs)
        await redis.zrem(URGENT_QUEUE, *jobs)


async def test_worker_killed_mid_run_ten_times_every_run_commits_exactly_once(
    world: MatchingWorld, kill_redis: tuple[ArqRedis, str]
) -> None:
    redis, redis_url = kill_redis
    medic = await world.skill("medic")
    home = await world.association()
    people = [await world.volunteer(home, [(medic, 2)]) for _ in range(24)]
    event = await world.event(home)
    # every run asks two 4-hour shifts; neighbouring runs' shifts overlap, so their commits
    # compete for the same people
    shifts = [await world.shift(event, [(medic, 3, 1)], offset_hours=3 * i) for i in range(RUNS + 1)]
    run_ids = []
    urgent = [i % 2 == 1 for i in range(RUNS)]  # odd runs on the urgent queue
    for i in range(RUNS):
        run = await runs.create_run(
            world.driver, association=home, shift_ids=shifts[i : i + 2], urgent=urgent[i],
            allow_exchange=False,
        )
        run_ids.append(run["id"])
    jobs = [matching_job_id(r) for r in run_ids]
    try:
        for r, u in zip(run_ids, urgent, strict=True):
            assert await enqueue_matching(redis, r, urgent=u)

        # two workers at a time (one per queue, each with its own runs): half the wall time
        rng = random.Random(5)
        queued = {
            q: [j for j, u in zip(jobs, urgent, strict=True) if u == (q == "urgent")]
            for q in ("default", "urgent")
        }
        outcome = await asyncio.gather(*(
            kill_mid_job(redis, redis_url, q, queued[q], KILLS // 2, random.Random(rng.random()))
            for q in queued
        ))
        kills = [hit for hits, _ in outcome for hit in hits]
        locked = {job for _, jobs_locked in outcome for job in jobs_locked}

        interrupted = {j.removeprefix("match:") for hit in kills for j in hit}

        # the dead workers' locks expire (after job timeout + 10 s): a surviving worker retries
        for job in locked:
            await redis.delete(IN_PROGRESS + job)
        survivors = [start_worker(redis_url, q, max_jobs=8) for q in ("default", "urgent")]
        try:
            deadline = time.monotonic() + 300
            while True:
                now = await runs.get_runs(world.driver, run_ids)
                if all(r and r["status"] in ("SUCCEEDED", "FAILED") for r in now):
                    break
                assert time.monotonic() < deadline, [
                    (r["id"], r["status"], r.get("attempts")) for r in now
                    if r and r["status"] not in ("SUCCEEDED", "FAILED")
                ]
                assert all(p.poll() is None for p in survivors), "a surviving worker died"
                await asyncio.sleep(0.1)
        finally:
            for proc in survivors:
                proc.send_signal(signal.SIGTERM)
            for proc in survivors:
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    kill(proc)
    finally:
        await forget_jobs(redis, jobs)

    rows = {r["id"]: r for r in await world.q(PER_RUN, ids=run_ids)}
    assert len(rows) == RUNS
    for r in rows.values():
        assert r["status"] == "SUCCEEDED" and r["error"] is None, r
        assert r["produced"] == r["carrying"] == r["distinctSlots"] == r["filled"], r
        # slots its neighbour filled first are neither filled nor unfilled by this run
        assert r["filled"] + len(json.loads(r["unfilled"])) == r["total"] <= 6, r
        assert 1 <= r["attempts"] <= MATCHING_MAX_TRIES, r
    # killed before their commit, so the retry ran them again (a run killed during its commit
    # may still have been committed by the server, and its retry only found it SUCCEEDED)
    retried = [r for r in interrupted if rows[r]["attempts"] >= 2]
    print(f"{len(kills)} kills interrupted {len(interrupted)} runs; {len(retried)} ran again")
    assert retried
    assert sum(r["filled"] for r in rows.values()) > 0
    total = (await world.q(OF_OUR_SHIFTS, shifts=shifts))[0]["n"]
    assert total == sum(r["filled"] for r in rows.values())  # no assignment outside a run's count
    assert await world.q(OVERLAPS, volunteers=people) == []
    assert await world.q(OVERFILLED, shifts=shifts) == []
    assert len(kills) == KILLS and all(kills)


async def test_a_run_whose_worker_died_on_every_attempt_fails_with_a_reason(
    world: MatchingWorld, worker_ctx: dict[str, Any]
) -> None:
    """arq starts a job once more than our attempts: that start records why instead of arq
    dropping the job and leaving the run RUNNING forever."""
    from workers.matching_task import MATCHING_ARQ_TRIES, run_matching
    from workers.settings import MATCHING_FUNCTION

    assert MATCHING_FUNCTION.max_tries == MATCHING_ARQ_TRIES == MATCHING_MAX_TRIES + 1
    medic = await world.skill("medic")
    home = await world.association()
    await world.volunteer(home, [(medic, 2)])
    shift = await world.shift(await world.event(home), [(medic, 1, 1)])
    run = await runs.create_run(
        world.driver, association=home, shift_ids=[shift], urgent=False, allow_exchange=False
    )
    for _ in range(MATCHING_MAX_TRIES):  # attempts that died after marking the run RUNNING
        await runs.mark_running(world.driver, run["id"])
    out = await run_matching({**worker_ctx, "job_try": MATCHING_ARQ_TRIES}, run["id"])
    final = await runs.get_run(world.driver, run["id"])
    assert out["status"] == "FAILED" and final and final["status"] == "FAILED"
    assert final["error"] == f"the worker stopped during each of {MATCHING_MAX_TRIES} attempts"
    assert final["slotsFilled"] == 0 and final["finishedAt"] is not None

    # the last allowed attempt still runs normally
    again = await runs.create_run(
        world.driver, association=home, shift_ids=[shift], urgent=False, allow_exchange=False
    )
    out = await run_matching({**worker_ctx, "job_try": MATCHING_MAX_TRIES}, again["id"])
    assert out["status"] == "SUCCEEDED" and out["slotsFilled"] == 1
