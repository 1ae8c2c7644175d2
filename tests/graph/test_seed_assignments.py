"""Bench assignments: 5-20 distinct shifts per volunteer, readable as pages, deleted by tag."""

from __future__ import annotations

from collections import Counter
from datetime import date
from uuid import uuid4

from graph.seed_assignments import (
    create_bench_assignments,
    delete_bench_assignments,
    plan_assignments,
    sample_volunteers,
)
from graph.volunteer_assignments import PageFilter, volunteer_assignment_page_rows

CREATE_VOLUNTEERS = "UNWIND $ids AS id CREATE (:Volunteer {id: id, name: id})"
DELETE_VOLUNTEERS = "MATCH (v:Volunteer) WHERE v.id STARTS WITH $p DETACH DELETE v"
COUNT_TAGGED = """
MATCH (n) WHERE (n:Assignment OR n:Event OR n:Shift) AND n.id STARTS WITH $tag
RETURN count(n) AS n
"""


def test_plan_gives_each_volunteer_distinct_shifts_within_bounds() -> None:
    shifts = [f"s{i}" for i in range(40)]
    volunteers = [f"v{i}" for i in range(300)]
    rows = plan_assignments("t", volunteers, shifts, fewest=5, most=20, seed=1)
    per = Counter(r["volunteer"] for r in rows)
    assert set(per) == set(volunteers)
    assert min(per.values()) == 5 and max(per.values()) == 20
    for v in volunteers[:50]:
        mine = [r["shift"] for r in rows if r["volunteer"] == v]
        assert len(mine) == len(set(mine))
    assert len({r["id"] for r in rows}) == len(rows)
    assert {r["status"] for r in rows} == {"CONFIRMED", "PROPOSED"}
    assert plan_assignments("t", volunteers, shifts, fewest=5, most=20, seed=1) == rows


async def test_created_pages_are_read_back_and_deleted_by_tag(neo4j_driver) -> None:
    p = f"t-{uuid4().hex[:8]}-"
    ids = [p + f"v{i}" for i in range(4)]
    tag = p + "bench"
    await neo4j_driver.execute_query(CREATE_VOLUNTEERS, ids=ids)
    try:
        sample = await sample_volunteers(neo4j_driver, 3)
        assert len(sample) == len(set(sample)) == 3
        made = await create_bench_assignments(
            neo4j_driver, tag, ids[:3], first_day=date(2030, 1, 1), days=10, fewest=5, most=8
        )
        assert set(made.per_volunteer) == set(ids[:3])
        pages = await volunteer_assignment_page_rows(neo4j_driver, ids, PageFilter())
        assert pages[ids[3]].total == 0
        for v in ids[:3]:
            page = pages[v]
            assert page.total == made.per_volunteer[v] and 5 <= page.total <= 8
            starts = [r["startsAt"] for r in page.rows]
            assert starts == sorted(starts) and len(set(starts)) == len(starts)
            assert all(r["skill"] == "food_packing" and r["runId"] == tag for r in page.rows)
        assert await delete_bench_assignments(neo4j_driver, tag) == made.total
    finally:
        await delete_bench_assignments(neo4j_driver, tag)
        await neo4j_driver.execute_query(DELETE_VOLUNTEERS, p=p)
    records, _, _ = await neo4j_driver.execute_query(COUNT_TAGGED, tag=tag)
    assert records[0]["n"] == 0
