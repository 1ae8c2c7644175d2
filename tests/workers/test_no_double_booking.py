"""No double booking and no overfilled need, whatever runs race for the same volunteers."""

from __future__ import annotations

import asyncio
import json
import random
from typing import Any

from graph import runs
from graph.matching_commit import commit_result
from graph.matching_load import load_problem
from tests.workers.matching_world import MatchingWorld
from workers.enqueue import enqueue_matching

# Any volunteer with two overlapping active assignments (a pair counted once).
OVERLAPS = """
MATCH (v:Volunteer)-[:ASSIGNED]->(a:Assignment), (v)-[:ASSIGNED]->(b:Assignment)
WHERE v.id IN $volunteers AND a.id < b.id
  AND a.status IN ['PROPOSED', 'CONFIRMED', 'CHECKED_IN']
  AND b.status IN ['PROPOSED', 'CONFIRMED', 'CHECKED_IN']
  AND a.startsAt < b.endsAt AND b.startsAt < a.endsAt
RETURN v.id AS volunteer, a.id AS a, b.id AS b
"""

# Any need with more active assignments than its count.
OVERFILLED = """
MATCH (s:Shift)-[n:NEEDS]->(:Skill) WHERE s.id IN $shifts
OPTIONAL MATCH (s)<-[:FOR]-(x:Assignment)
  WHERE x.status IN ['PROPOSED', 'CONFIRMED', 'CHECKED_IN'] AND x.needIndex = n.index
WITH s, n, count(x) AS filled WHERE filled > n.count
RETURN s.id AS shift, n.index AS need, filled, n.count AS count
"""

ACTIVE = """
MATCH (x:Assignment)-[:FOR]->(s:Shift) WHERE s.id IN $shifts
  AND x.status IN ['PROPOSED', 'CONFIRMED', 'CHECKED_IN']
RETURN count(x) AS n
"""


async def overlapping_world(world: MatchingWorld, volunteers: int, shifts: int) -> tuple[str, list[str], list[str]]:
    medic = await world.skill("medic")
    home = await world.association()
    people = [await world.volunteer(home, [(medic, 2)]) for _ in range(volunteers)]
    event = await world.event(home)
    # shifts start one hour apart and last four: each overlaps its neighbours
    slots = [await world.shift(event, [(medic, 3, 1)], offset_hours=i) for i in range(shifts)]
    return home, people, slots


async def test_fifty_concurrent_runs_never_double_book(world: MatchingWorld, arq_redis, run_workers):
    home, people, shifts = await overlapping_world(world, volunteers=12, shifts=8)
    rng = random.Random(7)
    run_ids = []
    for i in range(50):
        chosen = rng.sample(shifts, k=rng.randint(1, 3))
        run = await runs.create_run(
            world.driver, association=home, shift_ids=chosen, urgent=i % 2 == 0,
            allow_exchange=False,
        )
        run_ids.append(run["id"])
        await enqueue_matching(arq_redis, run["id"], urgent=i % 2 == 0)
    await run_workers()  # both queues at once: up to 16 jobs in flight

    finished = [await runs.get_run(world.driver, r) for r in run_ids]
    assert all(r and r["status"] == "SUCCEEDED" for r in finished), [
        (r["status"], r["error"]) for r in finished if r and r["status"] != "SUCCEEDED"
    ]
    assert await world.q(OVERLAPS, volunteers=people) == []
    assert await world.q(OVERFILLED, shifts=shifts) == []
    filled = (await world.q(ACTIVE, shifts=shifts))[0]["n"]
    assert filled == sum(r["slotsFilled"] for r in finished if r)
    assert filled > 0


async def test_racing_commits_of_conflicting_results_keep_one(world: MatchingWorld):
    """Every racer proposes the same volunteers for overlapping shifts; the transaction's
    re-check under the volunteer locks must let only non-conflicting ones through."""
    home, people, shifts = await overlapping_world(world, volunteers=4, shifts=4)
    contenders: list[tuple[str, str, Any, dict[str, Any]]] = []
    for i in range(20):
        shift = shifts[i % len(shifts)]
        run = await runs.create_run(
            world.driver, association=home, shift_ids=[shift], urgent=False, allow_exchange=False
        )
        problem = await load_problem(
            world.driver, shift_ids=[shift], association=home, allow_exchange=False, urgent=False
        )
        result = {
            "assignments": [
                {"shift": shift, "need": 0, "volunteer": v, "lender": None, "cost": 1.0,
                 "terms": {"distance": 1.0}}
                for v in people[:3]
            ],
            "unfilled": [],
        }
        contenders.append((run["id"], shift, problem, result))
    summaries = await asyncio.gather(*(
        commit_result(world.driver, run_id=r, shift_ids=[s], problem=p, result=res)
        for r, s, p, res in contenders
    ))
    assert await world.q(OVERLAPS, volunteers=people) == []
    assert await world.q(OVERFILLED, shifts=shifts) == []
    assert sum(s.slots_filled for s in summaries) == (await world.q(ACTIVE, shifts=shifts))[0]["n"]
    assert sum(s.dropped for s in summaries) > 0  # there were real conflicts to refuse
    for run_id, _, _, _ in contenders:
        run = await runs.get_run(world.driver, run_id)
        assert run and run["status"] == "SUCCEEDED"
        assert run["slotsFilled"] + len(json.loads(run["unfilled"])) == run["slotsTotal"]
