"""The bulk seed's skill-gap entries and cells, computed in Python (graph.supply_entries), are
the ones the writers' Cypher computes (graph.supply_cells): first on hand-made cases, then on
a seeded namespace of the real test Neo4j, volunteer by volunteer and cell by cell."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from uuid import uuid4

import pytest

from graph.seed_load import SeedSupply, compact_row, load_volunteers
from graph.seed_load_events import merge_namespace_associations
from graph.seed_people import PeopleConfig, PeopleGenerator, lookups
from graph.seed_run import SeedOptions, delete_namespace, run_seed
from graph.settings import get_settings
from graph.supply_cells import CELL_FROM_KEY, MAX_LEVEL, VOLUNTEER_ENTRIES
from graph.supply_entries import CellTally, month_start_ms, next_month_ms, volunteer_entries
from graph.supply_rebuild import ENTRY_COUNTS, implied_codes

N = 300
SEED = 23


def _ms(*args: int) -> int:
    return int(datetime(*args, tzinfo=UTC).timestamp() * 1000)  # type: ignore[misc]


def test_months_are_utc_calendar_months() -> None:
    assert month_start_ms(_ms(2026, 12, 31, 23, 59)) == _ms(2026, 12, 1)
    assert next_month_ms(_ms(2026, 12, 1)) == _ms(2027, 1, 1)
    assert next_month_ms(_ms(2027, 1, 1)) == _ms(2027, 2, 1)
    assert month_start_ms(-1) == -1 and next_month_ms(-1) == -1


def test_entries_follow_levels_implications_and_the_latest_expiry() -> None:
    exp1, exp2 = _ms(2027, 3, 15), _ms(2027, 5, 2)
    entries = volunteer_entries(
        governorate="01",
        active=True,
        spans=[600, 900],
        holdings=[("nurse", 2, exp1), ("first_aid", 1, exp2)],
        implied={"nurse": ["nurse", "first_aid"], "first_aid": ["first_aid"]},
        max_level=5,
    )
    assert entries == sorted(
        [
            # first_aid at level 1: held directly (exp2) and through nurse (exp1): the later
            f"01|first_aid|1|600,900,|{_ms(2027, 5, 1)}#{exp2}",
            # at level 2 only the nurse holding qualifies
            f"01|first_aid|2|600,900,|{_ms(2027, 3, 1)}#{exp1}",
            f"01|nurse|1|600,900,|{_ms(2027, 3, 1)}#{exp1}",
            f"01|nurse|2|600,900,|{_ms(2027, 3, 1)}#{exp1}",
        ]
    )
    never = volunteer_entries(
        governorate="01", active=True, spans=[1], holdings=[("driver", 1, None), ("driver", 1, 5)],
        implied={}, max_level=5,
    )  # fmt: skip
    assert never == ["01|driver|1|1,|-1#-1"]  # one holding that never expires: never


def test_no_entries_without_activity_residence_or_hours() -> None:
    held = [("nurse", 3, None)]
    for kwargs in (
        {"governorate": "01", "active": False, "spans": [1]},
        {"governorate": None, "active": True, "spans": [1]},
        {"governorate": "01", "active": True, "spans": []},
    ):
        assert volunteer_entries(holdings=held, implied={}, max_level=5, **kwargs) == []  # type: ignore[arg-type]


def test_cells_count_entries_and_keep_dated_expiries() -> None:
    tally = CellTally()
    tally.add(["01|x|1|5,|-1#-1", f"01|x|1|5,|{_ms(2027, 1, 1)}#{_ms(2027, 1, 9)}"])
    tally.add(["01|x|1|5,|-1#-1"])
    rows = {row["key"]: row for row in tally.rows()}
    assert rows["01|x|1|5,|-1"]["count"] == 2 and rows["01|x|1|5,|-1"]["exps"] == []
    dated = rows[f"01|x|1|5,|{_ms(2027, 1, 1)}"]
    assert dated["exps"] == [_ms(2027, 1, 9)] and dated["monthEnd"] == _ms(2027, 2, 1)
    assert dated["spans"] == [5] and dated["level"] == 1 and dated["governorate"] == "01"


@pytest.fixture(scope="module")
async def seeded(neo4j_driver) -> AsyncIterator[str]:
    """A namespace seeded the ordinary way: CREATE without entries, then the Cypher refresh."""
    ns = f"t-{uuid4().hex[:8]}-"
    options = SeedOptions(volunteers=N, seed=SEED, id_prefix=ns, id_secret=get_settings().id_secret)
    try:
        await run_seed(neo4j_driver, options)
        yield ns
    finally:
        await delete_namespace(neo4j_driver, ns)


def _python_entries(ns: str, implied: dict[str, list[str]]) -> dict[str, list[str]]:
    """The same rows again (the generator is deterministic), with the bulk seed's entries."""
    people = PeopleGenerator(
        PeopleConfig(seed=SEED, id_prefix=ns, id_secret=get_settings().id_secret)
    )
    supply = SeedSupply.for_lookups(lookups(ns), implied)
    return {
        row[0]: supply.entries(row)
        for block in people.blocks(N)
        for row in (compact_row(r) for r in block)
    }


async def test_python_entries_are_the_cypher_entries(neo4j_driver, seeded: str) -> None:
    records, _, _ = await neo4j_driver.execute_query(
        "MATCH (v:Volunteer) WHERE v.id STARTS WITH $ns RETURN v.id AS id, v.supplyEntries AS e",
        ns=seeded,
    )
    cypher = {r["id"]: list(r["e"]) for r in records}
    python = _python_entries(seeded, await implied_codes(neo4j_driver))
    assert len(cypher) == N and set(python) == set(cypher)
    assert sum(map(len, cypher.values())) > N  # skills, levels and implications to compare
    differing = [v for v in cypher if python[v] != cypher[v]]
    assert not differing, (differing[:3], [(python[v], cypher[v]) for v in differing[:1]])


async def test_python_cells_are_the_cypher_cells(neo4j_driver, seeded: str) -> None:
    """Counts and expiries per key as COUNT_ALL_CELLS aggregates them (its ENTRY_COUNTS), and
    the properties CELL_FROM_KEY parses out of a key (checked on a stand-in governorate, then
    removed)."""
    tally = CellTally()
    for entries in _python_entries(seeded, await implied_codes(neo4j_driver)).values():
        tally.add(entries)
    records, _, _ = await neo4j_driver.execute_query(
        "MATCH (v:Volunteer) WHERE v.id STARTS WITH $ns\n"
        + ENTRY_COUNTS
        + "RETURN key, n, exps",
        ns=seeded,
    )
    cypher = {r["key"]: (r["n"], sorted(r["exps"])) for r in records}
    python = {row["key"]: (row["count"], sorted(row["exps"])) for row in tally.rows()}
    assert python == cypher and len(python) > 10

    stand_in = {
        "ZZ" + row["key"][row["key"].index("|") :]: row for row in tally.rows()[:40]
    }
    query = (
        "UNWIND $keys AS key WITH key, split(key, '|') AS part "
        "CREATE (c:SupplyCell {key: key}) SET " + CELL_FROM_KEY + " RETURN properties(c) AS p"
    )
    try:
        made, _, _ = await neo4j_driver.execute_query(query, keys=list(stand_in))
        for record in made:
            props = record["p"]
            expected = CellTally()
            expected.add([props["key"] + "#-1"])
            want = {k: v for k, v in expected.rows()[0].items() if k not in ("count", "exps")}
            assert {k: props[k] for k in want} == want
    finally:
        await neo4j_driver.execute_query(
            "MATCH (c:SupplyCell) WHERE c.governorate = 'ZZ' DELETE c"
        )
    assert MAX_LEVEL >= 3


async def test_the_bulk_rows_carry_the_entries_the_cypher_computes(neo4j_driver) -> None:
    """The fresh-load path of the bulk seed (`load_volunteers(..., supply=...)`) stores on each
    volunteer the entries VOLUNTEER_ENTRIES computes for it. (Its cells are global, so this
    runs in a namespace without writing any; bench/seed.py runs the whole bulk path.)"""
    ns = f"t-{uuid4().hex[:8]}-"
    people = PeopleGenerator(PeopleConfig(seed=SEED + 1, id_prefix=ns, id_secret="x" * 16))
    supply = SeedSupply.for_lookups(lookups(ns), await implied_codes(neo4j_driver))
    try:
        await merge_namespace_associations(neo4j_driver, ns)
        stats = await load_volunteers(
            neo4j_driver, people.blocks(N), lookups(ns), total=N, fresh=True, supply=supply
        )
        assert stats.volunteers == N
        records, _, _ = await neo4j_driver.execute_query(
            "MATCH (v:Volunteer) WHERE v.id STARTS WITH $ns "
            + VOLUNTEER_ENTRIES
            + "RETURN v.id AS id, entries, v.supplyEntries AS stored",
            ns=ns, maxLevel=MAX_LEVEL, withdraw=False,
        )  # fmt: skip
        assert len(records) == N
        assert all(list(r["stored"]) == list(r["entries"]) for r in records)
        assert sum(len(r["stored"]) for r in records) == sum(
            cell[0] for cell in supply.tally.cells.values()
        )
    finally:
        # no cell counted these volunteers: take their entries off so the withdrawal
        # before the delete subtracts nothing
        await neo4j_driver.execute_query(
            "MATCH (v:Volunteer) WHERE v.id STARTS WITH $ns REMOVE v.supplyEntries", ns=ns
        )
        await delete_namespace(neo4j_driver, ns)
