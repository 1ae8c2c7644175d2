"""Matching runs end to end through a real arq worker, real Neo4j and the real engine."""

from __future__ import annotations

import json
from typing import Any

from graph import runs
from tests.workers.matching_world import MatchingWorld
from workers.enqueue import enqueue_matching
from workers.jobs import DEFAULT_QUEUE, URGENT_QUEUE, matching_job_id
from workers.matching_task import run_matching

ASSIGNMENTS_OF_RUN = """
MATCH (r:MatchingRun {id: $id})-[:PRODUCED]->(x:Assignment)
MATCH (v:Volunteer)-[:ASSIGNED]->(x)-[:FOR]->(s:Shift), (x)-[:AS]->(k:Skill)
OPTIONAL MATCH (x)-[:LENT_BY]->(l:Association)
RETURN x {.*} AS x, v.id AS volunteer, s.id AS shift, k.code AS skill, l.id AS lender
ORDER BY x.id
"""

ACTIVE_ON_SHIFTS = """
MATCH (v:Volunteer)-[:ASSIGNED]->(x:Assignment)-[:FOR]->(s:Shift)
WHERE s.id IN $shifts AND x.status IN ['PROPOSED', 'CONFIRMED', 'CHECKED_IN']
RETURN count(x) AS n
"""

SET_EXPIRY = "MATCH (:Volunteer {id: $id})-[h:HAS_SKILL]->() SET h.expiresAt = $expires"
SHIFT_TIMES = "MATCH (s:Shift {id: $id}) RETURN s.startsAt AS start, s.endsAt AS end"


async def start_run(world: MatchingWorld, association: str, shifts: list[str], **kw: Any) -> str:
    run = await runs.create_run(
        world.driver, association=association, shift_ids=shifts,
        urgent=kw.get("urgent", False), allow_exchange=kw.get("allow_exchange", False),
    )
    return str(run["id"])


async def test_run_end_to_end_through_the_worker(world: MatchingWorld, arq_redis, run_workers):
    medic = await world.skill("medic")
    doctor = await world.skill("doctor", implies=[medic])
    rare = await world.skill("rare")
    home = await world.association()
    near = [await world.volunteer(home, [(medic, 2)]) for _ in range(2)]
    by_implication = await world.volunteer(home, [(doctor, 3)])
    far = await world.volunteer(home, [(medic, 5)], lat=25.5, lon=30.5)  # ~400 km away
    too_low = await world.volunteer(home, [(medic, 1)])
    event = await world.event(home)
    shift = await world.shift(event, [(medic, 3, 2), (rare, 1, 1)])

    run_id = await start_run(world, home, [shift])
    queued = await runs.get_run(world.driver, run_id)
    assert queued and queued["status"] == "QUEUED" and queued["slotsTotal"] == 4
    assert await enqueue_matching(arq_redis, run_id, urgent=False)
    assert not await enqueue_matching(arq_redis, run_id, urgent=False)  # same job id: once
    await run_workers("default")

    run = await runs.get_run(world.driver, run_id)
    assert run and run["status"] == "SUCCEEDED", run
    assert run["progress"] == 1.0 and run["finishedAt"] is not None
    assert run["slotsFilled"] == 3 and run["exchanged"] == 0 and run["slotsTotal"] == 4
    rows = await world.q(ASSIGNMENTS_OF_RUN, id=run_id)
    assert {r["volunteer"] for r in rows} == {*near, by_implication}
    assert far not in {r["volunteer"] for r in rows} and too_low not in {r["volunteer"] for r in rows}
    for r in rows:
        x = r["x"]
        assert x["status"] == "PROPOSED" and r["shift"] == shift and r["skill"] == medic
        assert x["needIndex"] == 0 and x["runId"] == run_id and not x["viaExchange"]
        assert x["cost"] > 0 and len(x["termNames"]) == len(x["termValues"]) > 0
        assert abs(sum(x["termValues"]) - x["cost"]) < 1e-6
        assert x["history"][0].startswith("PROPOSED|")
    assert abs(run["totalCost"] - sum(r["x"]["cost"] for r in rows)) < 1e-6
    unfilled = json.loads(run["unfilled"])
    assert unfilled == [{"shiftId": shift, "needIndex": 1, "skill": rare, "reason": "NO_SKILL_IN_REACH"}]


async def test_unfilled_has_one_entry_per_empty_slot(world: MatchingWorld, worker_ctx):
    medic = await world.skill("medic")
    home = await world.association()
    only = await world.volunteer(home, [(medic, 3)])
    event = await world.event(home)
    shift = await world.shift(event, [(medic, 3, 1)])
    run_id = await start_run(world, home, [shift])
    outcome = await run_matching(dict(worker_ctx), run_id)
    assert outcome["status"] == "SUCCEEDED"
    run = await runs.get_run(world.driver, run_id)
    assert run and run["slotsFilled"] == 1
    unfilled = json.loads(run["unfilled"])
    assert len(unfilled) == 2 and {u["needIndex"] for u in unfilled} == {0}
    rows = await world.q(ASSIGNMENTS_OF_RUN, id=run_id)
    assert [r["volunteer"] for r in rows] == [only]


async def test_run_twice_or_after_a_crash_commits_once(world: MatchingWorld, worker_ctx):
    medic = await world.skill("medic")
    home = await world.association()
    for _ in range(3):
        await world.volunteer(home, [(medic, 2)])
    event = await world.event(home)
    shift = await world.shift(event, [(medic, 2, 1)])
    run_id = await start_run(world, home, [shift])

    first = await run_matching(dict(worker_ctx), run_id)
    assert first["status"] == "SUCCEEDED" and first["committed"] and first["slotsFilled"] == 2
    again = await run_matching(dict(worker_ctx), run_id)  # arq retry after the commit
    assert again.get("skipped") and again["status"] == "SUCCEEDED"
    # A worker that died after its commit but (hypothetically) before the status was visible:
    await world.q("MATCH (r:MatchingRun {id: $id}) SET r.status = 'RUNNING'", id=run_id)
    third = await run_matching(dict(worker_ctx), run_id)
    assert third["status"] == "SUCCEEDED" and third["committed"] is False
    assert len(await world.q(ASSIGNMENTS_OF_RUN, id=run_id)) == 2
    assert (await world.q(ACTIVE_ON_SHIFTS, shifts=[shift]))[0]["n"] == 2


async def test_existing_bookings_and_refusals_are_respected(world: MatchingWorld, worker_ctx):
    medic = await world.skill("medic")
    home = await world.association()
    busy = await world.volunteer(home, [(medic, 2)])
    declined = await world.volunteer(home, [(medic, 2)])
    free = await world.volunteer(home, [(medic, 2)])
    event = await world.event(home)
    other = await world.shift(event, [(medic, 1, 1)], offset_hours=1)  # overlaps `shift`
    shift = await world.shift(event, [(medic, 3, 1)])
    await world.assignment(busy, other, status="CONFIRMED")
    await world.assignment(declined, shift, status="DECLINED")

    run_id = await start_run(world, home, [shift])
    await run_matching(dict(worker_ctx), run_id)
    run = await runs.get_run(world.driver, run_id)
    assert run and run["status"] == "SUCCEEDED"
    assert [r["volunteer"] for r in await world.q(ASSIGNMENTS_OF_RUN, id=run_id)] == [free]
    assert run["slotsFilled"] == 1 and len(json.loads(run["unfilled"])) == 2


async def test_the_load_reads_expiries_and_bookings_as_the_stored_instants(world: MatchingWorld):
    """The candidates' DateTimes travel as epoch pairs; the instance holds the same instants."""
    from datetime import UTC, datetime, timedelta

    from graph.matching_load import load_problem

    medic = await world.skill("medic")
    home = await world.association()
    volunteer = await world.volunteer(home, [(medic, 2)])
    event = await world.event(home)
    shift = await world.shift(event, [(medic, 1, 1)])
    earlier = await world.shift(event, [(medic, 1, 1)], offset_hours=-20, hours=3.5)
    await world.assignment(volunteer, earlier, status="CONFIRMED")
    expires = datetime.now(UTC).replace(microsecond=654321) + timedelta(days=400)
    await world.q(SET_EXPIRY, id=volunteer, expires=expires)
    times = (await world.q(SHIFT_TIMES, id=earlier))[0]
    problem = await load_problem(
        world.driver, shift_ids=[shift], association=home, allow_exchange=False, urgent=False
    )
    [entry] = problem.instance["volunteers"]
    assert datetime.fromisoformat(entry["skills"][0]["expiresAt"]) == expires
    [booked] = entry["booked"]
    assert datetime.fromisoformat(booked["start"]) == times["start"].to_native()
    assert datetime.fromisoformat(booked["end"]) == times["end"].to_native()
    assert booked["event"] == event


async def test_a_run_that_cannot_load_fails_with_a_message(world: MatchingWorld, worker_ctx):
    home = await world.association()
    other = await world.association()
    medic = await world.skill("medic")
    event = await world.event(other)
    shift = await world.shift(event, [(medic, 1, 1)])
    run_id = await start_run(world, home, [shift])  # shift of another association
    outcome = await run_matching(dict(worker_ctx), run_id)
    assert outcome["status"] == "FAILED"
    run = await runs.get_run(world.driver, run_id)
    assert run and run["status"] == "FAILED" and run["finishedAt"] is not None
    assert other in run["error"] and home in run["error"]


async def test_urgent_requests_use_the_urgent_queue(world: MatchingWorld, arq_redis, run_workers):
    medic = await world.skill("medic")
    home = await world.association()
    await world.volunteer(home, [(medic, 2)])
    event = await world.event(home)
    shift = await world.shift(event, [(medic, 1, 1)], urgent=True)
    run_id = await start_run(world, home, [shift], urgent=True)
    await enqueue_matching(arq_redis, run_id, urgent=True)
    job = matching_job_id(run_id)
    assert await arq_redis.zscore(URGENT_QUEUE, job) is not None
    assert await arq_redis.zscore(DEFAULT_QUEUE, job) is None
    await run_workers("urgent")  # only the urgent worker runs: it must pick the job up
    run = await runs.get_run(world.driver, run_id)
    assert run and run["status"] == "SUCCEEDED" and run["slotsFilled"] == 1 and run["urgent"]


async def test_exchange_borrows_within_the_lender_quota(world: MatchingWorld, worker_ctx):
    medic = await world.skill("medic")
    home = await world.association()
    lender = await world.association(lends=True, max_share=0.5, requires_approval=True)
    lent = [await world.volunteer(lender, [(medic, 2)]) for _ in range(6)]  # quota 3
    for _ in range(2):  # inactive members do not count towards the quota (else it would be 4)
        await world.volunteer(lender, [(medic, 2)], active=False)
    event = await world.event(home)
    elsewhere = await world.event(lender)
    earlier = await world.shift(elsewhere, [(medic, 1, 1)], offset_hours=48)
    await world.assignment(lent[0], earlier, status="CONFIRMED", lender=lender)  # 1 already lent
    shift = await world.shift(event, [(medic, 4, 1)])

    run_id = await start_run(world, home, [shift], allow_exchange=True)
    await run_matching(dict(worker_ctx), run_id)
    run = await runs.get_run(world.driver, run_id)
    assert run and run["status"] == "SUCCEEDED", run
    rows = await world.q(ASSIGNMENTS_OF_RUN, id=run_id)
    assert len(rows) == 2 and run["exchanged"] == 2  # quota 3 minus the 1 already lent
    assert all(r["lender"] == lender and r["x"]["viaExchange"] for r in rows)
    reasons = [u["reason"] for u in json.loads(run["unfilled"])]
    assert reasons == ["LENDER_QUOTA", "LENDER_QUOTA"]
    requests = await world.q(
        "MATCH (q:ExchangeRequest)-[:FOR]->(x:Assignment {runId: $id}) "
        "MATCH (q)-[:LENDER]->(l), (q)-[:BORROWER]->(b) RETURN q.status AS s, l.id AS l, b.id AS b",
        id=run_id,
    )
    assert [(r["s"], r["l"], r["b"]) for r in requests] == [("PENDING", lender, home)] * 2


async def test_without_exchange_nobody_is_borrowed(world: MatchingWorld, worker_ctx):
    medic = await world.skill("medic")
    home = await world.association()
    lender = await world.association(lends=True, max_share=1.0)
    await world.volunteer(lender, [(medic, 2)])
    event = await world.event(home)
    shift = await world.shift(event, [(medic, 1, 1)])
    run_id = await start_run(world, home, [shift], allow_exchange=False)
    await run_matching(dict(worker_ctx), run_id)
    run = await runs.get_run(world.driver, run_id)
    assert run and run["status"] == "SUCCEEDED" and run["slotsFilled"] == 0
    assert json.loads(run["unfilled"])[0]["reason"] == "NO_SKILL_IN_REACH"


async def test_nearest_first_index_path_gives_the_same_choice(world: MatchingWorld, worker_ctx):
    """The worker's in-memory position index (used on large graphs) must pick among the same
    eligible volunteers as the Cypher filter, nearest first."""
    from graph.matching_positions import PositionCache

    medic = await world.skill("medic")
    home = await world.association()
    close = [await world.volunteer(home, [(medic, 2)], lat=23.40 + 0.01 * i) for i in range(3)]
    await world.volunteer(home, [(medic, 2)], lat=25.5, lon=30.5)  # out of reach
    await world.volunteer(home, [(medic, 1)])  # level too low
    event = await world.event(home)
    shift = await world.shift(event, [(medic, 2, 2)])
    run_id = await start_run(world, home, [shift])
    ctx = {**worker_ctx, "positions": PositionCache(min_volunteers=0)}
    assert (await run_matching(ctx, run_id))["status"] == "SUCCEEDED"
    chosen = {r["volunteer"] for r in await world.q(ASSIGNMENTS_OF_RUN, id=run_id)}
    assert chosen <= set(close) and len(chosen) == 2


async def test_index_path_skips_the_unavailable_and_ranks_by_cost(
    world: MatchingWorld, worker_ctx, monkeypatch
):
    """With one candidate per slot, the nearest holders of the skill (available only in the
    afternoon, or borrowed) must not take the places of an own volunteer who can come: by
    distance alone the run would ship only the unavailable and fill nothing."""
    from graph import matching_load
    from graph.matching_positions import PositionCache
    from tests.workers.matching_world import SPOT

    monkeypatch.setattr(matching_load, "CANDIDATES_PER_SLOT", 1)
    monkeypatch.setattr(matching_load, "CANDIDATES_MIN", 0)
    afternoons = json.dumps([{"weekday": d, "start": "14:00", "end": "22:00"} for d in range(1, 8)])
    medic = await world.skill("medic")
    home = await world.association()
    lender = await world.association(lends=True, max_share=1.0)
    for k in range(3):  # 1-3 km from the shift, never free at 08:00-12:00 Cairo
        await world.volunteer(home, [(medic, 2)], lat=SPOT[0] + k / 111.19, availability=afternoons)
    await world.volunteer(lender, [(medic, 2)], lat=SPOT[0] + 4 / 111.19)  # 4 km, borrowed: +15
    own = await world.volunteer(home, [(medic, 2)], lat=SPOT[0] + 6 / 111.19)  # 6 km, own
    event = await world.event(home)
    shift = await world.shift(event, [(medic, 1, 2)])
    run_id = await start_run(world, home, [shift], allow_exchange=True)
    ctx = {**worker_ctx, "positions": PositionCache(min_volunteers=0)}
    done = await run_matching(ctx, run_id)
    assert done["status"] == "SUCCEEDED" and done["volunteers"] == 1
    assert [r["volunteer"] for r in await world.q(ASSIGNMENTS_OF_RUN, id=run_id)] == [own]


async def test_a_cut_short_list_whose_slots_stay_empty_is_widened_once(
    world: MatchingWorld, worker_ctx, monkeypatch
):
    """The index knows no bookings: when the cheapest candidates it kept are all booked, the
    run loads and solves once more with WIDEN_FACTOR times as many, and fills the slot."""
    from graph import matching_load
    from graph.matching_positions import PositionCache
    from tests.workers.matching_world import SPOT

    monkeypatch.setattr(matching_load, "CANDIDATES_PER_SLOT", 1)
    monkeypatch.setattr(matching_load, "CANDIDATES_MIN", 0)
    medic = await world.skill("medic")
    home = await world.association()
    near = await world.volunteer(home, [(medic, 2)], lat=SPOT[0] + 1 / 111.19)
    far = await world.volunteer(home, [(medic, 2)], lat=SPOT[0] + 5 / 111.19)
    event = await world.event(home)
    busy = await world.shift(event, [(medic, 1, 1)], offset_hours=1)  # overlaps `shift`
    await world.assignment(near, busy, status="CONFIRMED")
    shift = await world.shift(event, [(medic, 1, 2)])
    run_id = await start_run(world, home, [shift])
    ctx = {**worker_ctx, "positions": PositionCache(min_volunteers=0)}
    done = await run_matching(ctx, run_id)
    assert done["status"] == "SUCCEEDED" and done["slotsFilled"] == 1
    assert done["timings"]["widenedVolunteers"] == 2 and "widen" in done["timings"]["stages"]
    assert [r["volunteer"] for r in await world.q(ASSIGNMENTS_OF_RUN, id=run_id)] == [far]


async def test_a_restarted_worker_serves_from_the_index_snapshot_then_reloads(world: MatchingWorld):
    """With a snapshot at hand the first `get` does not wait for a full load: it returns the
    snapshot's index at once and reloads from Neo4j in the background (after min_refresh_s)."""
    from graph.matching_positions import PositionCache, PositionIndex, SnapshotStore

    medic = await world.skill("medic")
    home = await world.association()
    fresh = await world.volunteer(home, [(medic, 2)])
    old = PositionIndex.from_rows([{"id": "gone-volunteer", "lat": 30.0, "lon": 31.0, "reach": 5.0}])
    saved: list[bytes] = []

    async def load() -> bytes | None:
        return old.to_bytes()

    async def save(data: bytes) -> None:
        saved.append(data)

    patient = PositionCache(min_volunteers=0, min_refresh_s=30, snapshots=SnapshotStore(load, save))
    first = await patient.get(world.driver)
    assert first is not None and first.ids == ["gone-volunteer"] and patient.from_snapshot
    assert patient._refresh is None and not saved  # no reload before min_refresh_s has passed
    await patient.close()

    cache = PositionCache(min_volunteers=0, min_refresh_s=0, snapshots=SnapshotStore(load, save))
    assert (await cache.get(world.driver)).ids == ["gone-volunteer"]  # type: ignore[union-attr]
    assert cache._refresh is not None  # the reload started behind the snapshot
    await cache._refresh
    second = await cache.get(world.driver)
    assert second is not None and fresh in second.position and "gone-volunteer" not in second.position
    assert not cache.from_snapshot and saved  # the fresh load was saved for the next start
    assert fresh in PositionIndex.from_bytes(saved[-1]).position
    await cache.close()


async def test_a_need_the_prefilter_empties_says_why(world: MatchingWorld, worker_ctx):
    """Holders in reach set aside by the pre-filter (the need's gender rule in Cypher and in the
    index; weekly windows in the index) come back as a few witnesses, so the slot's reason is
    RULE or NOT_AVAILABLE, not NO_SKILL_IN_REACH."""
    from graph.matching_positions import PositionCache

    afternoons = json.dumps([{"weekday": d, "start": "14:00", "end": "22:00"} for d in range(1, 8)])
    medic = await world.skill("medic")
    home = await world.association()
    await world.volunteer(home, [(medic, 2)], gender="F")
    await world.volunteer(home, [(medic, 2)], gender="F", availability=afternoons)
    event = await world.event(home)
    for_men = await world.shift(event, [(medic, 1, 1)])
    await world.q(
        "MATCH (:Shift {id: $id})-[n:NEEDS {index: 0}]->() SET n.gender = 'M'", id=for_men
    )
    cases = [(for_men, None, "RULE"), (for_men, PositionCache(min_volunteers=0), "RULE")]
    for shift, cache, reason in cases:  # the Cypher filter, then the index
        run_id = await start_run(world, home, [shift])
        ctx = dict(worker_ctx) if cache is None else {**worker_ctx, "positions": cache}
        assert (await run_matching(ctx, run_id))["status"] == "SUCCEEDED"
        run = await runs.get_run(world.driver, run_id)
        assert run and run["slotsFilled"] == 0
        assert [u["reason"] for u in json.loads(run["unfilled"])] == [reason], (cache, run)
    # in the index a holder whose windows never fit is set aside: alone, it says NOT_AVAILABLE
    other = await world.association()
    await world.volunteer(other, [(medic, 2)], availability=afternoons)
    morning = await world.shift(await world.event(other), [(medic, 1, 1)])
    run_id = await start_run(world, other, [morning])
    ctx = {**worker_ctx, "positions": PositionCache(min_volunteers=0)}
    assert (await run_matching(ctx, run_id))["status"] == "SUCCEEDED"
    run = await runs.get_run(world.driver, run_id)
    assert [u["reason"] for u in json.loads(run["unfilled"])] == ["NOT_AVAILABLE"], run
