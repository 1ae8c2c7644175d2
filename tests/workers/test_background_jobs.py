"""Expiry cron, CSV import and the nightly recompute, on real Neo4j through their job functions."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from graph import csv_import, runs
from graph.national_id import make_national_id
from tests.workers.matching_world import MatchingWorld
from workers.expiry_task import expire_proposals
from workers.import_task import import_csv
from workers.recompute_task import recompute

STATUS_OF = "MATCH (x:Assignment {id: $id}) RETURN x.status AS status, x.history AS history"
ACTIVE_OF_SHIFT = """
MATCH (v:Volunteer)-[:ASSIGNED]->(x:Assignment)-[:FOR]->(:Shift {id: $shift})
WHERE x.status IN ['PROPOSED', 'CONFIRMED', 'CHECKED_IN']
RETURN v.id AS volunteer, x.runId AS run
"""


async def test_expired_proposals_are_rematched_without_that_volunteer(
    world: MatchingWorld, worker_ctx, run_workers
):
    medic = await world.skill("medic")
    home = await world.association()
    slow = await world.volunteer(home, [(medic, 2)], reliability=1.0)
    other = await world.volunteer(home, [(medic, 2)], reliability=0.5)
    event = await world.event(home)
    shift = await world.shift(event, [(medic, 1, 1)])
    fresh_shift = await world.shift(event, [(medic, 1, 1)], offset_hours=24)
    old = await world.assignment(
        slow, shift, status="PROPOSED", created_at=datetime.now(UTC) - timedelta(days=2)
    )
    fresh = await world.assignment(other, fresh_shift, status="PROPOSED")

    out = await expire_proposals(dict(worker_ctx), ttl_minutes=60, shift_ids=world.shifts)
    assert out["expired"] == 1 and len(out["refillRuns"]) == 1
    expired = (await world.q(STATUS_OF, id=old))[0]
    assert expired["status"] == "EXPIRED" and expired["history"][-1].startswith("EXPIRED|")
    assert (await world.q(STATUS_OF, id=fresh))[0]["status"] == "PROPOSED"
    refill = await runs.get_run(world.driver, out["refillRuns"][0])
    assert refill and refill["kind"] == "REFILL" and refill["excludeVolunteers"] == [slow]

    await run_workers()
    done = await runs.get_run(world.driver, refill["id"])
    assert done and done["status"] == "SUCCEEDED" and done["slotsFilled"] == 1
    active = await world.q(ACTIVE_OF_SHIFT, shift=shift)
    assert active == [{"volunteer": other, "run": refill["id"]}]


SET_RUN = "MATCH (x:Assignment {id: $id}) SET x.runId = $run"


async def test_a_refill_keeps_how_the_coordinator_asked(world: MatchingWorld, worker_ctx):
    """An expired proposal of an urgent request without exchange is refilled urgent and without
    exchange (the run behind the shift's latest assignment), on a shift not itself urgent; a
    shift with no run behind it keeps the defaults."""
    medic = await world.skill("medic")
    home = await world.association()
    slow = await world.volunteer(home, [(medic, 2)])
    event = await world.event(home)
    asked = await world.shift(event, [(medic, 1, 1)])
    plain = await world.shift(event, [(medic, 1, 1)], offset_hours=24)
    first = await runs.create_run(
        world.driver, association=home, shift_ids=[asked], urgent=True, allow_exchange=False
    )
    ago = datetime.now(UTC) - timedelta(days=2)
    old = await world.assignment(slow, asked, status="PROPOSED", created_at=ago)
    await world.q(SET_RUN, id=old, run=first["id"])
    await world.assignment(slow, plain, status="PROPOSED", created_at=ago)
    out = await expire_proposals(dict(worker_ctx), ttl_minutes=60, shift_ids=[asked, plain])
    made = [await runs.get_run(world.driver, i) for i in out["refillRuns"]]
    refills = {r["shiftIds"][0]: r for r in made if r}
    assert (refills[asked]["urgent"], refills[asked]["allowExchange"]) == (True, False)
    assert (refills[plain]["urgent"], refills[plain]["allowExchange"]) == (False, True)


def national_id(rng: random.Random, gender: str = "F") -> str:
    born = date(1990 + rng.randrange(10), 1 + rng.randrange(12), 1 + rng.randrange(28))
    return make_national_id(born, gender, "01", rng.randrange(5000))  # type: ignore[arg-type]


async def test_csv_import_reports_bad_lines_and_reruns_without_duplicates(
    world: MatchingWorld, worker_ctx
):
    rng = random.Random()
    medic = await world.skill("medic")
    home = await world.association()
    first, second = national_id(rng), national_id(rng, "M")
    text = "\n".join([
        "nationalId,name,phone,governorate,skills,availability",
        f"{first},منى أحمد,01012345678,01,{medic}:3,5@08:00-20:00",
        f"{second},Omar Ali,+201112345678,2,{medic}:2;first_aid:1,",
        "12345,Bad Id,01012345678,01,,",
        f"{national_id(rng)},Bad Phone,0551234,01,,",
        f"{national_id(rng)},Bad Skill,01012345679,01,nope:2,",
        f"{first},Same Person,01012345670,01,,",
        f"{national_id(rng)},Bad Window,01012345671,01,,9@08:00-10:00",
    ])
    job = await csv_import.create_import_job(world.driver, association=home, requested_by="test")
    world.imports.append(job["id"])
    out = await import_csv(dict(worker_ctx), job["id"], text)
    assert out["status"] == "SUCCEEDED" and out["imported"] == 2 and out["created"] == 2
    stored = await csv_import.get_import_job(world.driver, job["id"])
    assert stored and stored["status"] == "SUCCEEDED" and stored["rowsTotal"] == 7
    import json

    errors = {(e["line"], e["field"]) for e in json.loads(stored["errors"])}
    assert errors == {(4, "nationalId"), (5, "phone"), (6, "skills"), (7, "nationalId"),
                      (8, "availability")}

    again = await csv_import.create_import_job(world.driver, association=home, requested_by="test")
    world.imports.append(again["id"])
    rerun = await import_csv(dict(worker_ctx), again["id"], text)
    assert rerun["imported"] == 2 and rerun["created"] == 0
    people = await world.q(
        "MATCH (v:Volunteer)-[m:MEMBER_OF]->(:Association {id: $a}) "
        "OPTIONAL MATCH (v)-[h:HAS_SKILL]->(:Skill {code: $medic}) "
        "RETURN v.name AS name, v.gender AS gender, v.phone AS phone, h.level AS level, "
        "count(m) AS memberships ORDER BY name",
        a=home, medic=medic,
    )
    assert [(p["name"], p["gender"], p["phone"], p["level"], p["memberships"]) for p in people] == [
        ("Omar Ali", "M", "01112345678", 2, 1), ("منى أحمد", "F", "01012345678", 3, 1),
    ]


async def test_bad_csv_header_fails_the_job_with_a_message(world: MatchingWorld, worker_ctx):
    home = await world.association()
    job = await csv_import.create_import_job(world.driver, association=home, requested_by="test")
    world.imports.append(job["id"])
    out = await import_csv(dict(worker_ctx), job["id"], "name,phone\nx,01012345678\n")
    assert out["status"] == "FAILED"
    stored = await csv_import.get_import_job(world.driver, job["id"])
    assert stored and stored["status"] == "FAILED" and "nationalid" in stored["error"]


async def test_recompute_reliability_and_ledger_from_history(world: MatchingWorld, worker_ctx):
    medic = await world.skill("medic")
    borrower = await world.association()
    lender = await world.association(lends=True, max_share=1.0)
    steady = await world.volunteer(lender, [(medic, 2)], reliability=0.5)
    absent = await world.volunteer(borrower, [(medic, 2)], reliability=1.0)
    event = await world.event(borrower)
    shifts = [await world.shift(event, [(medic, 2, 1)], offset_hours=-24 * 30 - 10 * i) for i in range(4)]
    for s in shifts[:3]:
        await world.assignment(steady, s, status="COMPLETED", lender=lender, hours=3.0)
    await world.assignment(steady, shifts[3], status="NO_SHOW", lender=lender)
    await world.assignment(absent, shifts[0], status="NO_SHOW")

    out = await recompute(
        dict(worker_ctx), volunteer_ids=[steady, absent], association_ids=[borrower, lender]
    )
    assert out == {"volunteers": 2, "associations": 2}
    rows = await world.q(
        "MATCH (v:Volunteer) WHERE v.id IN $ids RETURN v.id AS id, v.reliability AS r",
        ids=[steady, absent],
    )
    reliability = {r["id"]: r["r"] for r in rows}
    assert reliability[steady] == round((3 + 4.5) / (4 + 5), 4)
    assert reliability[absent] == round(4.5 / 6, 4)
    ledger = await world.q(
        "MATCH (a:Association) WHERE a.id IN $ids RETURN a.id AS id, a.lentHours AS lent, "
        "a.borrowedHours AS borrowed", ids=[borrower, lender],
    )
    by_id = {r["id"]: (r["lent"], r["borrowed"]) for r in ledger}
    assert by_id[lender] == (9.0, 0.0) and by_id[borrower] == (0.0, 9.0)
