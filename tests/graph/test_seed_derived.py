"""The seed writes the derived Volunteer properties (`governorate`, `availSpans`,
`availWeekdays`) in step with LIVES_IN and `availability`, on the fresh CREATE path and on the
re-run MERGE path."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

import pytest

from graph.availability_spans import availability_spans
from graph.seed_run import SeedOptions, delete_namespace, run_seed
from graph.settings import get_settings

N = 120

DERIVED_NS = """
MATCH (v:Volunteer) WHERE v.id STARTS WITH $p
RETURN v.id AS id, v.governorate AS governorate, v.availSpans AS spans,
       v.availWeekdays AS weekdays, v.availability AS availability, [(v)-[:LIVES_IN]->(g) | g.code] AS lives
"""


@pytest.fixture(scope="module")
async def seeded(neo4j_driver) -> AsyncIterator[str]:
    ns = f"t-{uuid4().hex[:8]}-"
    options = SeedOptions(volunteers=N, seed=5, id_prefix=ns, id_secret=get_settings().id_secret)
    try:
        report = await run_seed(neo4j_driver, options)
        assert report.mode == "create"
        yield ns
    finally:
        await delete_namespace(neo4j_driver, ns)


async def _derived(driver, ns: str) -> dict[str, dict[str, Any]]:
    records, _, _ = await driver.execute_query(DERIVED_NS, p=ns)
    return {r["id"]: r.data() for r in records}


def _assert_in_step(rows: dict[str, dict[str, Any]]) -> None:
    for v in rows.values():
        assert [v["governorate"]] == v["lives"]
        assert v["spans"] and v["spans"] == availability_spans(v["availability"])
        assert v["weekdays"] is None  # retired (graph.volunteer_derived)


async def test_seeded_volunteers_carry_the_derived_properties(neo4j_driver, seeded) -> None:
    rows = await _derived(neo4j_driver, seeded)
    assert len(rows) == N
    _assert_in_step(rows)
    assert len({v["governorate"] for v in rows.values()}) > 10
    assert len({tuple(v["spans"]) for v in rows.values()}) > 3  # several weekly habits


async def test_the_merge_path_writes_them_too(neo4j_driver, seeded) -> None:
    # three seeded people vanish; a re-run (MERGE path) recreates exactly them
    gone = [f"{seeded}V{i:07d}" for i in (3, 60, 119)]
    await neo4j_driver.execute_query(
        "UNWIND $ids AS id MATCH (v:Volunteer {id: id}) DETACH DELETE v", ids=gone)
    again = await run_seed(neo4j_driver, SeedOptions(
        volunteers=N, seed=5, id_prefix=seeded, id_secret=get_settings().id_secret))
    assert again.mode == "merge" and again.existing == N - 3
    rows = await _derived(neo4j_driver, seeded)
    assert set(gone) <= set(rows) and len(rows) == N
    _assert_in_step({i: rows[i] for i in gone})
