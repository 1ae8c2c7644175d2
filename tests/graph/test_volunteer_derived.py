"""The derived Volunteer properties `governorate` and `availSpans`: every writer sets them in
step with LIVES_IN and `availability`, and the migration's backfill repairs missing or stale ones,
drops the retired `availWeekdays` (and leaves a row whose availability it has not seen to its
writer)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any
from uuid import uuid4

import pytest
from neo4j import AsyncDriver

from graph import csv_import
from graph.registration import NewVolunteer, register_volunteer, set_availability
from graph.volunteer_derived import WRITE_VOLUNTEER_DERIVED, backfill_volunteer_derived

DAY = 1440

READ_DERIVED = """
UNWIND $ids AS id
MATCH (v:Volunteer {id: id})
RETURN v.id AS id, v.governorate AS governorate, v.availSpans AS spans,
       v.availWeekdays AS weekdays, v.availability AS availability, [(v)-[:LIVES_IN]->(g) | g.code] AS lives
"""

CREATE_ASSOCIATION = """
CREATE (:Association {id: $id, name: $id, nameAr: $id, lends: false, maxShare: 0.0,
  requiresApproval: true, lendsToAll: false, lentHours: 0.0, borrowedHours: 0.0})
"""

# An old-style volunteer: written before the derived properties existed (or wrongly since).
CREATE_BARE_VOLUNTEER = """
MATCH (g:Governorate {code: $governorate})
CREATE (v:Volunteer {id: $id, name: $id, nameNorm: $id, gender: 'M', birthYear: 1990,
  active: true, availability: $availability, blackouts: '[]', bookingVersion: 0})
CREATE (v)-[:LIVES_IN]->(g)
SET v += $extra
"""

DELETE = """
UNWIND $ids AS id
MATCH (n {id: id})
OPTIONAL MATCH (j:ImportJob {id: id})
DETACH DELETE n, j
"""


class Made:
    def __init__(self, driver: AsyncDriver) -> None:
        self.driver = driver
        self.ids: list[str] = []

    def uid(self, what: str) -> str:
        self.ids.append(f"t-{uuid4().hex[:10]}-{what}")
        return self.ids[-1]

    async def derived(self, *ids: str) -> dict[str, dict[str, Any]]:
        records, _, _ = await self.driver.execute_query(READ_DERIVED, ids=list(ids))
        return {r["id"]: r.data() for r in records}


@pytest.fixture
async def made(neo4j_driver: AsyncDriver) -> AsyncIterator[Made]:
    m = Made(neo4j_driver)
    yield m
    await neo4j_driver.execute_query(DELETE, ids=m.ids)


def new_volunteer(made: Made, association: str, governorate: str,
                  availability: tuple[tuple[int, str, str], ...]) -> NewVolunteer:
    return NewVolunteer(
        id=made.uid("vol"), national_id_hash=uuid4().hex * 2, name="تجربة", name_norm="تجربه",
        gender="F", birth_year=1999, birth_governorate="01", phone="01000000000",
        governorate=governorate, association=association, skills=(),
        availability=availability,
    )


async def test_register_and_update_availability_keep_the_derived_properties(
    neo4j_driver: AsyncDriver, made: Made
) -> None:
    assoc = made.uid("assoc")
    await neo4j_driver.execute_query(CREATE_ASSOCIATION, id=assoc)
    new = new_volunteer(made, assoc, "02", ((6, "09:00", "12:00"), (1, "22:00", "02:00")))
    vid, created = await register_volunteer(neo4j_driver, new)
    assert created
    v = (await made.derived(vid))[vid]
    assert v["governorate"] == "02" and v["lives"] == ["02"]
    assert v["spans"] == [1320, DAY + 120, 5 * DAY + 540, 5 * DAY + 720]
    assert v["weekdays"] is None  # retired: no writer sets it

    # the same person registered again, elsewhere: keeps home governorate and availability
    again = replace(new, id=made.uid("vol"), governorate="03", availability=())
    assert (await register_volunteer(neo4j_driver, again)) == (vid, False)
    v = (await made.derived(vid))[vid]
    assert v["governorate"] == "02" and v["lives"] == ["02"] and v["spans"][0] == 1320

    assert await set_availability(neo4j_driver, vid, [(3, "17:00", "22:00")])
    v = (await made.derived(vid))[vid]
    assert v["spans"] == [2 * DAY + 1020, 2 * DAY + 1320]
    assert await set_availability(neo4j_driver, vid, [])
    v = (await made.derived(vid))[vid]
    assert v["spans"] == []


async def test_csv_upsert_sets_them_for_new_people_and_never_moves_an_existing_one(
    neo4j_driver: AsyncDriver, made: Made
) -> None:
    assoc = made.uid("assoc")
    await neo4j_driver.execute_query(CREATE_ASSOCIATION, id=assoc)
    job = made.uid("job")
    vid = made.uid("vol")
    row = {
        "line": 2, "hash": uuid4().hex * 2, "name": "أحمد", "nameNorm": "احمد",
        "phone": "01000000001", "gender": "M", "birthYear": 1990, "birthGovernorate": "01",
        "governorate": "04", "lat": 31.0, "lon": 31.0, "skills": [],
        "availability": json.dumps([{"weekday": 5, "start": "08:00", "end": "20:00"}]),
        "maxTravelKm": 30.0, "maxHoursWeek": 20.0, "id": vid,
    }
    assert await csv_import.upsert_volunteers(
        neo4j_driver, association=assoc, rows=[row], job_id=job) == (1, 1)
    v = (await made.derived(vid))[vid]
    assert v["governorate"] == "04" and v["lives"] == ["04"]
    assert v["spans"] == [4 * DAY + 480, 4 * DAY + 1200]

    # a later file lists the same person in another governorate: no second home
    moved = {**row, "governorate": "21", "availability": "[]", "line": 3}
    assert await csv_import.upsert_volunteers(
        neo4j_driver, association=assoc, rows=[moved], job_id=made.uid("job")) == (1, 0)
    v = (await made.derived(vid))[vid]
    assert v["governorate"] == "04" and v["lives"] == ["04"]
    assert v["spans"] == [4 * DAY + 480, 4 * DAY + 1200]


async def test_backfill_repairs_missing_and_stale_values_and_a_rerun_keeps_them(
    neo4j_driver: AsyncDriver, made: Made
) -> None:
    friday = json.dumps([{"weekday": 5, "start": "08:00", "end": "20:00"}])
    missing, stale, right = made.uid("vol"), made.uid("vol"), made.uid("vol")
    for vid, gov, extra in (
        (missing, "11", {}),
        (stale, "12", {"governorate": "01", "availSpans": [0, 60], "availWeekdays": [1]}),
        (right, "13", {"governorate": "13", "availSpans": [4 * DAY + 480, 4 * DAY + 1200]}),
    ):
        await neo4j_driver.execute_query(
            CREATE_BARE_VOLUNTEER, id=vid, governorate=gov, availability=friday, extra=extra)
    first = await backfill_volunteer_derived(neo4j_driver, batch=2)
    assert first.volunteers >= 3 and first.written >= 2
    want = [4 * DAY + 480, 4 * DAY + 1200]
    got = await made.derived(missing, stale, right)
    assert {k: (v["governorate"], v["spans"], v["weekdays"]) for k, v in got.items()} == {
        missing: ("11", want, None), stale: ("12", want, None), right: ("13", want, None),
    }
    # idempotent: a second run finds our volunteers right and leaves them so
    await backfill_volunteer_derived(neo4j_driver)
    assert await made.derived(missing, stale, right) == got


async def test_backfill_leaves_a_row_whose_availability_changed_since_it_read_them(
    neo4j_driver: AsyncDriver, made: Made
) -> None:
    vid = made.uid("vol")
    text = json.dumps([{"weekday": 2, "start": "10:00", "end": "11:00"}])
    await neo4j_driver.execute_query(
        CREATE_BARE_VOLUNTEER, id=vid, governorate="14", availability=text, extra={})
    # the spans map was made from the texts read before this volunteer's text existed
    async with neo4j_driver.session() as session:  # IN TRANSACTIONS: an auto-commit statement
        result = await session.run(
            WRITE_VOLUNTEER_DERIVED, derived={"[]": {"spans": []}}, batch=1000)
        record = await result.single(strict=True)
    assert record["volunteers"] >= 1
    v = (await made.derived(vid))[vid]
    assert v["spans"] is None and v["weekdays"] is None and v["governorate"] is None
