"""The skill-gap supply cells (graph.supply_cells) on the real test Neo4j: the report read from
cells equals a count over every holding, every writer keeps them in step, concurrent writers
lose no count, a refresh of an unchanged volunteer writes nothing, and a rebuild agrees with
the incremental cells. Test-only skills keep the numbers free of anybody else's data."""

from __future__ import annotations

import asyncio
import json
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, LiteralString
from uuid import uuid4

from neo4j import AsyncDriver

from graph import csv_import
from graph.assignment_reads import BOOKED_STATUSES
from graph.availability_spans import week_spans, window_spans
from graph.registration import NewVolunteer, register_volunteer, set_availability
from graph.skill_gaps import SKILL_DEMAND, skill_gaps
from graph.supply_cells import refresh_supply, withdraw_supply
from graph.supply_rebuild import ensure_supply, rebuild_supply
from graph.training_enrollment import complete_training, enroll
from tests.graph.test_skill_gaps import next_monday_cairo
from tests.graph.training_world import World, uid

# The oracle: the supply rule of graph.skill_gaps evaluated holding by holding, with the
# availability overlap done in Python - no cell involved.
HOLDERS: LiteralString = """
MATCH (v:Volunteer)-[h:HAS_SKILL]->(:Skill)-[:IMPLIES*0..]->(:Skill {code: $skill})
WHERE v.governorate = $governorate AND v.active = true AND h.level >= $minLevel
  AND (h.expiresAt IS NULL OR h.expiresAt > $to)
RETURN DISTINCT v.id AS id, v.availability AS availability
"""

CELLS_OF: LiteralString = """
MATCH (c:SupplyCell) WHERE c.skill IN $skills
RETURN c.key AS key, c.count AS count, c.exps AS exps ORDER BY key
"""

# Each cell's count and exps against the entries the volunteers store.
ENTRIES_OF: LiteralString = """
MATCH (v:Volunteer) WHERE v.supplyEntries IS NOT NULL
UNWIND v.supplyEntries AS entry
WITH split(entry, '#') AS parts
WITH parts[0] AS key, toInteger(parts[1]) AS exp
WHERE split(key, '|')[1] IN $skills
RETURN key, count(*) AS count, collect(exp) AS exps ORDER BY key
"""

DELETE_VOLUNTEERS: LiteralString = "UNWIND $ids AS id MATCH (v:Volunteer {id: id}) DETACH DELETE v"


def overlaps(spans: list[int], window: list[int]) -> bool:
    return any(
        spans[j] < window[i + 1] and spans[j + 1] > window[i]
        for i in range(0, len(window), 2)
        for j in range(0, len(spans), 2)
    )


async def oracle(
    driver: AsyncDriver, start: datetime, end: datetime, skills: set[str]
) -> dict[tuple[str, str], int]:
    """(skill, governorate) -> supply, holding by holding, for the demanded groups."""
    demand, _, _ = await driver.execute_query(
        SKILL_DEMAND, {"from": start, "to": end, "governorate": None,
                       "filling": BOOKED_STATUSES}
    )
    window = window_spans(start, end)
    out: dict[tuple[str, str], int] = {}
    for row in demand:
        if row["skill"] not in skills:
            continue
        holders, _, _ = await driver.execute_query(
            HOLDERS, skill=row["skill"], governorate=row["governorate"],
            minLevel=row["minLevel"], to=end,
        )
        out[(row["skill"], row["governorate"])] = sum(
            1 for h in holders if overlaps(week_spans(json.loads(h["availability"])), window)
        )
    return out


async def reported(
    driver: AsyncDriver, start: datetime, end: datetime, skills: set[str]
) -> dict[tuple[str, str], int]:
    return {
        (r.skill, r.governorate): r.supply
        for r in await skill_gaps(driver, start, end)
        if r.skill in skills
    }


async def cells(driver: AsyncDriver, skills: set[str]) -> list[dict[str, Any]]:
    records, _, _ = await driver.execute_query(CELLS_OF, skills=sorted(skills))
    return [{**r.data(), "exps": sorted(r["exps"])} for r in records]


async def assert_cells_match_entries(driver: AsyncDriver, skills: set[str]) -> None:
    records, _, _ = await driver.execute_query(ENTRIES_OF, skills=sorted(skills))
    expected = [
        {"key": r["key"], "count": r["count"], "exps": sorted(e for e in r["exps"] if e >= 0)}
        for r in records
    ]
    assert await cells(driver, skills) == expected


async def test_report_from_cells_equals_a_count_over_every_holding(driver, world: World):
    rng = random.Random(7)
    start = next_monday_cairo(5)
    ends = [start + timedelta(days=3), start + timedelta(days=12, hours=5),
            start + timedelta(days=40)]
    assoc = await world.association()
    basic = await world.skill()
    senior = await world.skill(implies=basic)
    chief = await world.skill(implies=senior)  # chief qualifies for basic through senior
    other = await world.skill()
    skills = {basic, senior, chief, other}
    event = {g: await world.event(assoc, starts_at=start, ends_at=ends[-1], governorate=g)
             for g in ("01", "02")}
    for g in ("01", "02"):
        await world.shift(event[g], start + timedelta(hours=10),
                          [(basic, 30, 2), (senior, 5, 3), (chief, 4, 1), (other, 9, 4)])
    # expiries on both sides of every window end, in the same month and in others
    expiries: list[datetime | None] = [None, start - timedelta(days=2)]
    for end in ends:
        expiries += [end - timedelta(hours=1), end + timedelta(hours=1), end,
                     end + timedelta(days=20), end - timedelta(days=20)]
    patterns = [
        None,  # every day 08:00-20:00
        [{"weekday": 5, "start": "08:00", "end": "20:00"}],
        [{"weekday": 2, "start": "22:00", "end": "02:00"}],
        [{"weekday": 1, "start": "06:00", "end": "07:00"}],
        [],
    ]
    for _ in range(70):
        held = [
            (code, rng.randint(1, 5), rng.choice(expiries))
            for code in rng.sample(sorted(skills), rng.randint(1, 3))
        ]
        await world.volunteer(
            assoc, rng.choice(["01", "02"]), held, availability=rng.choice(patterns),
            active=rng.random() > 0.1,
        )
    await assert_cells_match_entries(driver, skills)
    for end in ends:
        expected = await oracle(driver, start, end, skills)
        assert len(expected) == 8 and sum(expected.values()) > 0
        assert await reported(driver, start, end, skills) == expected


async def test_every_writer_keeps_the_supply_in_step(driver, world: World):
    start = next_monday_cairo(7)
    end = start + timedelta(days=30)
    assoc, other_assoc = await world.association(), await world.association()
    skill = await world.skill()
    skills = {skill}
    event = await world.event(assoc, starts_at=start, ends_at=end, governorate="03")
    await world.shift(event, start + timedelta(hours=9), [(skill, 10, 2)])

    async def supply() -> int:
        got = await reported(driver, start, end, skills)
        assert got == await oracle(driver, start, end, skills)
        await assert_cells_match_entries(driver, skills)
        return got[(skill, "03")]

    assert await supply() == 0
    every_day = tuple((d, "08:00", "20:00") for d in range(1, 8))
    new = NewVolunteer(
        id=uid("vol"), national_id_hash=uuid4().hex * 2, name="تجربة", name_norm="تجربه",
        gender="F", birth_year=1999, birth_governorate="03", phone="01000000000",
        governorate="03", association=assoc, skills=((skill, 1),), availability=every_day,
    )
    vid, created = await register_volunteer(driver, new)
    assert created
    world.volunteers.append(vid)
    world.ids.append(vid)
    assert await supply() == 0  # level 1 < minLevel 2
    # the same person through a second association with a higher level: one node, now counts
    again = replace(new, id=uid("vol"), association=other_assoc, skills=((skill, 3),))
    assert await register_volunteer(driver, again) == (vid, False)
    assert await supply() == 1
    assert await set_availability(driver, vid, [])
    assert await supply() == 0
    assert await set_availability(driver, vid, [(6, "10:00", "14:00")])
    assert await supply() == 1

    imported = uid("vol")
    row = {
        "line": 2, "hash": uuid4().hex * 2, "name": "أحمد", "nameNorm": "احمد",
        "phone": "01000000001", "gender": "M", "birthYear": 1990, "birthGovernorate": "03",
        "governorate": "03", "lat": 31.2, "lon": 29.9, "skills": [{"code": skill, "level": 2}],
        "availability": json.dumps([{"weekday": 4, "start": "08:00", "end": "20:00"}]),
        "maxTravelKm": 30.0, "maxHoursWeek": 20.0, "id": imported,
    }
    assert await csv_import.upsert_volunteers(
        driver, association=assoc, rows=[row], job_id=uid("job")) == (1, 1)
    world.volunteers.append(imported)
    world.ids.append(imported)
    assert await supply() == 2
    # re-running the same file counts nobody twice
    assert await csv_import.upsert_volunteers(
        driver, association=assoc, rows=[row], job_id=uid("job")) == (1, 0)
    assert await supply() == 2

    # training completion grants the skill with a 10-day validity: counts for a window that
    # ends before the expiry, not for one that ends after it
    trainee = await world.volunteer(assoc, "03", [])
    t = datetime.now(UTC)
    program = await world.program(assoc, skill, starts_at=t - timedelta(hours=2),
                                  ends_at=t + timedelta(days=1), grants_level=4,
                                  valid_for_days=10, governorate="03")
    enrollment = await enroll(driver, uid("enr"), program, trainee, datetime.now(UTC))
    await complete_training(driver, enrollment.id, datetime.now(UTC))
    assert await supply() == 2  # the window ends a month and more after the expiry
    soon = t + timedelta(hours=1)
    await world.shift(event, soon, [(skill, 1, 4)])
    short = await reported(driver, soon - timedelta(minutes=1), t + timedelta(days=9), skills)
    assert short == await oracle(driver, soon - timedelta(minutes=1), t + timedelta(days=9),
                                 skills)
    assert short[(skill, "03")] == 1  # the trainee (level 4) within the validity
    late = await reported(driver, soon - timedelta(minutes=1), t + timedelta(days=11), skills)
    assert late[(skill, "03")] == 0


async def test_concurrent_registrations_lose_no_count(driver, world: World):
    start = next_monday_cairo(9)
    end = start + timedelta(days=7)
    assoc = await world.association()
    skill = await world.skill()
    event = await world.event(assoc, starts_at=start, ends_at=end, governorate="21")
    await world.shift(event, start + timedelta(hours=9), [(skill, 50, 1)])
    every_day = tuple((d, "08:00", "20:00") for d in range(1, 8))

    async def register(i: int) -> str:
        vid, _ = await register_volunteer(driver, NewVolunteer(
            id=uid("vol"), national_id_hash=uuid4().hex * 2, name=f"متطوع {i}",
            name_norm=f"متطوع {i}", gender="M", birth_year=1990, birth_governorate="21",
            phone="01000000002", governorate="21", association=assoc,
            skills=((skill, 2),), availability=every_day,
        ))
        world.volunteers.append(vid)
        world.ids.append(vid)
        return vid

    ids = await asyncio.gather(*(register(i) for i in range(12)))
    assert len(set(ids)) == 12
    got = await reported(driver, start, end, {skill})
    assert got == {(skill, "21"): 12}
    await assert_cells_match_entries(driver, {skill})


async def test_refresh_of_an_unchanged_volunteer_writes_nothing_and_rebuild_agrees(
    driver, world: World
):
    assoc = await world.association()
    basic = await world.skill()
    senior = await world.skill(implies=basic)
    later = datetime.now(UTC) + timedelta(days=50)
    vids = [
        await world.volunteer(assoc, "01", [(basic, 2, None), (senior, 4, later)]),
        await world.volunteer(assoc, "02", [(senior, 3, None)]),
    ]
    before = await cells(driver, {basic, senior})
    # the first: basic at levels 1-2 for ever and 3-4 through senior until `later`, senior
    # 1-4; the second: senior 1-3 and, through it, basic 1-3
    assert sum(c["count"] for c in before) == (4 + 4) + (3 + 3)
    async with driver.session() as session:
        assert await session.execute_write(refresh_supply, vids) == 0
    assert await cells(driver, {basic, senior}) == before
    await rebuild_supply(driver)
    assert await cells(driver, {basic, senior}) == before

    # a volunteer deleted without a writer leaves its counts behind; a rebuild drops them
    await driver.execute_query(DELETE_VOLUNTEERS, ids=[vids[1]])
    world.volunteers.remove(vids[1])
    await rebuild_supply(driver)
    assert sum(c["count"] for c in await cells(driver, {basic, senior})) == 4 + 4
    # withdrawn (what a deleting writer does first): its cells empty and are deleted
    async with driver.session() as session:
        assert await session.execute_write(withdraw_supply, [vids[0]]) == 8
    assert await cells(driver, {basic, senior}) == []


async def test_migrate_refreshes_the_cells_when_the_skill_implications_change(
    driver, world: World
):
    assoc = await world.association()
    broad, narrow = await world.skill(), await world.skill()
    await world.volunteer(assoc, "01", [(broad, 3, None)])
    assert (await ensure_supply(driver)).action in ("current", "refreshed")
    assert (await ensure_supply(driver)).action == "current"  # nothing to do on a restart
    assert [c["count"] for c in await cells(driver, {narrow})] == []
    # reference data now says broad implies narrow: the next migrate counts it for narrow too
    await driver.execute_query(
        "MATCH (a:Skill {code: $a}), (b:Skill {code: $b}) MERGE (a)-[:IMPLIES]->(b)",
        a=broad, b=narrow,
    )
    assert (await ensure_supply(driver)).action == "refreshed"
    assert sum(c["count"] for c in await cells(driver, {narrow})) == 3
    await assert_cells_match_entries(driver, {broad, narrow})
    assert (await ensure_supply(driver)).action == "current"
