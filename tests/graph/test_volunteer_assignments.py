"""The volunteer-assignments read: pages by start time with their rows and total, filtered."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from graph.assignment_reads import get_assignments
from graph.volunteer_assignments import (
    DETAIL_KEYS,
    PageFilter,
    volunteer_assignment_page_rows,
    volunteer_with_assignment_page,
)
from graph.volunteers import get_volunteers

T0 = datetime(2027, 3, 1, 8, 0, 0, 123456, tzinfo=UTC)  # sub-second parts survive

# Two associations; X organizes the event, Y lends volunteer v2 for one assignment.
# v1 has 5 assignments (statuses vary) on 5 shifts; v2 has 1 lent assignment; v3 has none.
CREATE_WORLD = """
CREATE (x:Association {id: $p + 'X', name: 'X'}), (y:Association {id: $p + 'Y', name: 'Y'})
CREATE (x)-[:ORGANIZES]->(e:Event {id: $p + 'E', title: 'e'})
CREATE (:Volunteer {id: $p + 'v3', name: 'none'})
WITH x, y, e
UNWIND $rows AS r
MERGE (v:Volunteer {id: r.volunteer}) ON CREATE SET v.name = r.volunteer
CREATE (e)-[:HAS_SHIFT]->(s:Shift {id: r.id + '-s', startsAt: r.startsAt, endsAt: r.endsAt})
CREATE (v)-[:ASSIGNED]->(a:Assignment {id: r.id, status: r.status, startsAt: r.startsAt,
         endsAt: r.endsAt, cost: r.cost, termNames: ['distance'], termValues: [r.cost],
         viaExchange: r.lent, createdAt: r.startsAt, updatedAt: r.startsAt, needIndex: 0})
CREATE (a)-[:FOR]->(s)
WITH a, r, y
MATCH (k:Skill {code: 'first_aid'})
CREATE (a)-[:AS]->(k)
FOREACH (_ IN CASE WHEN r.lent THEN [1] ELSE [] END | CREATE (a)-[:LENT_BY]->(y))
"""
DELETE_WORLD = """
MATCH (n) WHERE (n:Volunteer OR n:Association OR n:Event OR n:Shift OR n:Assignment)
  AND n.id STARTS WITH $p
DETACH DELETE n
"""


@pytest.fixture(scope="module")
async def world(neo4j_driver) -> AsyncIterator[dict[str, str]]:
    p = f"t-{uuid4().hex[:8]}-"
    statuses = ["CONFIRMED", "PROPOSED", "CANCELLED", "CONFIRMED", "PROPOSED"]
    # inserted out of order; a tie on startsAt (a3, a4) is broken by id
    starts = [
        T0 + timedelta(days=4),
        T0,
        T0 + timedelta(days=2),
        T0 + timedelta(days=2),
        T0 + timedelta(days=1),
    ]
    rows = [
        {
            "id": f"{p}a{i}",
            "volunteer": p + "v1",
            "status": st,
            "startsAt": start,
            "endsAt": start + timedelta(hours=3),
            "cost": float(i),
            "lent": False,
        }
        for i, (st, start) in enumerate(zip(statuses, starts, strict=True))
    ]
    rows.append(
        {
            "id": p + "b0",
            "volunteer": p + "v2",
            "status": "CONFIRMED",
            "startsAt": T0,
            "endsAt": T0 + timedelta(hours=3),
            "cost": 1.5,
            "lent": True,
        }
    )
    try:
        await neo4j_driver.execute_query(CREATE_WORLD, p=p, rows=rows)
        yield {"p": p}
    finally:
        await neo4j_driver.execute_query(DELETE_WORLD, p=p)


async def _pages(driver, volunteers, **kw):
    if "statuses" in kw:
        kw["statuses"] = tuple(kw["statuses"])
    return await volunteer_assignment_page_rows(driver, volunteers, PageFilter(**kw))


async def test_pages_are_ordered_by_start_then_id_with_total(neo4j_driver, world) -> None:
    p = world["p"]
    pages = await _pages(neo4j_driver, [p + "v1", p + "v2", p + "v3"])
    assert pages[p + "v1"].ids == [p + "a1", p + "a4", p + "a2", p + "a3", p + "a0"]
    assert pages[p + "v1"].total == 5
    assert pages[p + "v2"].ids == [p + "b0"] and pages[p + "v2"].total == 1
    assert pages[p + "v3"].ids == [] and pages[p + "v3"].total == 0
    assert await _pages(neo4j_driver, [p + "nobody"]) == {}  # unknown ids give nothing

    second = (await _pages(neo4j_driver, [p + "v1"], skip=2, limit=2))[p + "v1"]
    assert second.ids == [p + "a2", p + "a3"] and second.total == 5
    beyond = (await _pages(neo4j_driver, [p + "v1"], skip=10, limit=2))[p + "v1"]
    assert beyond.ids == [] and beyond.total == 5


async def test_rows_are_the_rows_the_assignments_loader_reads(neo4j_driver, world) -> None:
    p = world["p"]
    page = (await _pages(neo4j_driver, [p + "v1", p + "v2"]))[p + "v2"]
    by_id = [r for r in await get_assignments(neo4j_driver, page.ids) if r is not None]
    # the same keys and values; DateTimes arrive as aware UTC datetimes
    native = [
        {k: v.to_native() if hasattr(v, "to_native") else v for k, v in r.items()} for r in by_id
    ]
    assert page.rows == native
    assert page.rows[0]["startsAt"] == T0 and page.rows[0]["startsAt"].tzinfo is not None
    assert page.rows[0]["lender"] == p + "Y" and page.rows[0]["skill"] == "first_aid"
    assert page.rows[0]["shiftId"] == p + "b0-s" and page.rows[0]["volunteerId"] == p + "v2"


async def test_filters_status_time_and_association(neo4j_driver, world) -> None:
    p = world["p"]
    v1 = p + "v1"
    active = (await _pages(neo4j_driver, [v1], statuses=["PROPOSED", "CONFIRMED"]))[v1]
    assert active.ids == [p + "a1", p + "a4", p + "a3", p + "a0"] and active.total == 4
    window = await _pages(
        neo4j_driver, [v1], starts_from=T0 + timedelta(days=1), until=T0 + timedelta(days=3)
    )
    assert window[v1].ids == [p + "a4", p + "a2", p + "a3"]
    # the organizer sees v1's; the lender Y sees only the lent one; a stranger sees none
    assert (await _pages(neo4j_driver, [v1], association=p + "X"))[v1].total == 5
    lent = await _pages(neo4j_driver, [v1, p + "v2"], association=p + "Y")
    assert lent[v1].total == 0 and lent[p + "v2"].ids == [p + "b0"]
    assert (await _pages(neo4j_driver, [v1], association=p + "nobody"))[v1].rows == []


async def test_volunteer_with_page_is_the_volunteer_row_and_the_same_page(
    neo4j_driver, world
) -> None:
    p = world["p"]
    page = PageFilter(statuses=("PROPOSED", "CONFIRMED"), skip=1, limit=2)
    found = await volunteer_with_assignment_page(neo4j_driver, p + "v1", page)
    assert found is not None
    row, got = found
    assert [row] == await get_volunteers(neo4j_driver, [p + "v1"])
    assert got == (await volunteer_assignment_page_rows(neo4j_driver, [p + "v1"], page))[p + "v1"]
    assert got.ids == [p + "a4", p + "a3"] and got.total == 4
    none = await volunteer_with_assignment_page(neo4j_driver, p + "v3", PageFilter())
    assert none is not None and none[1].total == 0 and none[0]["id"] == p + "v3"
    assert await volunteer_with_assignment_page(neo4j_driver, p + "nobody", PageFilter()) is None


async def test_plain_rows_are_the_rows_without_their_details(neo4j_driver, world) -> None:
    p = world["p"]
    volunteers = [p + "v1", p + "v2"]
    whole = await _pages(neo4j_driver, volunteers)
    plain = await _pages(neo4j_driver, volunteers, details=False)
    assert whole[p + "v1"].rows[0]["termNames"] == ["distance"]  # the details are there
    for v in volunteers:
        assert plain[v].total == whole[v].total
        assert plain[v].rows == [
            {k: x for k, x in row.items() if k not in DETAIL_KEYS} for row in whole[v].rows
        ]
    one = await volunteer_with_assignment_page(neo4j_driver, p + "v1", PageFilter(details=False))
    assert one is not None and one[1] == plain[p + "v1"]
