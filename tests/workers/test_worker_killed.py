"""A worker process killed (SIGKILL) in the middle of a run: the retried run commits once."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from graph import runs
from tests.workers.matching_world import MatchingWorld
from workers.enqueue import enqueue_matching
from workers.jobs import matching_job_id

ROOT = Path(__file__).resolve().parents[2]
PRODUCED = """
MATCH (r:MatchingRun {id: $id})-[:PRODUCED]->(x:Assignment)<-[:ASSIGNED]-(v:Volunteer)
RETURN x.id AS id, v.id AS volunteer, x.needIndex AS need
"""


async def wait_for_running(world: MatchingWorld, run_id: str, timeout: float = 60.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = await runs.get_run(world.driver, run_id)
        if run and run["status"] != "QUEUED":
            return str(run["status"])
        await asyncio.sleep(0.01)
    raise AssertionError("the worker process never started the run")


async def test_killed_worker_retried_run_commits_exactly_once(
    world: MatchingWorld, arq_redis, run_workers
):
    medic = await world.skill("medic")
    home = await world.association()
    for _ in range(40):
        await world.volunteer(home, [(medic, 2)])
    event = await world.event(home)
    shifts = [await world.shift(event, [(medic, 3, 1)], offset_hours=5 * i) for i in range(10)]
    run = await runs.create_run(
        world.driver, association=home, shift_ids=shifts, urgent=False, allow_exchange=False
    )
    run_id = run["id"]
    await enqueue_matching(arq_redis, run_id, urgent=False)

    kills = 0
    for delay in (0.0, 0.15):  # max_tries is 3: two kills, then a worker that survives
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.workers.worker_process", "default"],
            cwd=ROOT, env=dict(os.environ), start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            status = await wait_for_running(world, run_id)
            await asyncio.sleep(delay)
        finally:
            os.killpg(proc.pid, signal.SIGKILL)  # the worker and its solver children
            proc.wait(timeout=10)
        if status == "SUCCEEDED":
            break
        kills += 1
        # arq would hand the job to another worker once the dead one's lock expires
        await arq_redis.delete(f"arq:in-progress:{matching_job_id(run_id)}")

    await run_workers("default")
    final = await runs.get_run(world.driver, run_id)
    assert final and final["status"] == "SUCCEEDED", final
    produced = await world.q(PRODUCED, id=run_id)
    assert len(produced) == final["slotsFilled"] > 0
    assert len({(r["volunteer"], r["id"]) for r in produced}) == len(produced)
    assert final["slotsFilled"] + len(json.loads(final["unfilled"])) == final["slotsTotal"] == 30
    assert kills >= 1


async def test_cli_worker_all_serves_both_queues(world: MatchingWorld, arq_redis):
    """`tahaluf worker --queue all --burst`: one process, two arq workers, both queues drained."""
    medic = await world.skill("medic")
    home = await world.association()
    await world.volunteer(home, [(medic, 2)])
    await world.volunteer(home, [(medic, 2)])
    event = await world.event(home)
    urgent_shift = await world.shift(event, [(medic, 1, 1)], urgent=True)
    normal_shift = await world.shift(event, [(medic, 1, 1)], offset_hours=24)
    ids = []
    for shift, urgent in ((urgent_shift, True), (normal_shift, False)):
        run = await runs.create_run(
            world.driver, association=home, shift_ids=[shift], urgent=urgent, allow_exchange=False
        )
        await enqueue_matching(arq_redis, run["id"], urgent=urgent)
        ids.append(run["id"])
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "api.cli.main", "worker", "--queue", "all", "--burst",
        cwd=ROOT, env=dict(os.environ),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )
    assert await asyncio.wait_for(proc.wait(), timeout=120) == 0
    for run_id in ids:
        run = await runs.get_run(world.driver, run_id)
        assert run and run["status"] == "SUCCEEDED" and run["slotsFilled"] == 1
