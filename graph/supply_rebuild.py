"""Whole-graph upkeep of the skill-gap supply cells (graph.supply_cells): the rebuild the seed
runs after a bulk load, and what `tahaluf migrate` does at every start.

- `rebuild_supply`: drop every cell, store every volunteer's entries, count the cells from
  them - three statements over the whole graph, for a graph nobody writes to meanwhile.
- `write_counted_cells`: the bulk seed's cells, counted in Python (graph.supply_entries) while
  the volunteers were generated, with their entries written beside them; `implied_codes`
  gives it the implications as the graph holds them.
- `refresh_all_supply`: the writers' own refresh over every volunteer (whose id starts with a
  prefix), batch by batch; it writes only what changed.
- `ensure_supply` (migrate): a graph whose volunteers have no entries and no cell exists yet
  is rebuilt; one where some volunteer has no entries (written before the cells), whose skill
  implications differ from those the cells were built with (reference data changed), or
  whose derived volunteer properties were just backfilled, is refreshed whole; otherwise
  nothing is done, so a restart does not re-read 250K volunteers. The implications the cells
  reflect are recorded on (:SupplyMeta {id: 'supply'}).
- `withdraw_namespace_supply`: take a namespace's volunteers out before it is deleted.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Final, LiteralString

from neo4j import AsyncDriver, AsyncManagedTransaction

from graph.settings import get_settings
from graph.supply_cells import (
    CELL_FROM_KEY,
    MAX_LEVEL,
    VOLUNTEER_ENTRIES,
    refresh_supply,
    withdraw_supply,
)

REFRESH_BATCH: Final = 2_000

VOLUNTEER_ID_PAGE: LiteralString = """
MATCH (v:Volunteer) WHERE v.id > $after AND v.id STARTS WITH $prefix
RETURN v.id AS id ORDER BY id LIMIT $limit
"""

# What the cells were built from, beside what the graph holds now.
# The skill implications as sorted "a>b" pairs, `implies`.
_IMPLIES_PAIRS: LiteralString = """
CALL {
  OPTIONAL MATCH (a:Skill)-[:IMPLIES]->(b:Skill)
  WITH a.code + '>' + b.code AS pair ORDER BY pair
  RETURN collect(pair) AS implies
}
"""

SUPPLY_STATE: LiteralString = _IMPLIES_PAIRS + """OPTIONAL MATCH (m:SupplyMeta {id: 'supply'})
RETURN implies, m.implies AS built, EXISTS { MATCH (:SupplyCell) } AS cells,
       EXISTS { MATCH (v:Volunteer) WHERE v.supplyEntries IS NULL } AS unentered
"""

RECORD_SUPPLY_STATE: LiteralString = _IMPLIES_PAIRS + """MERGE (m:SupplyMeta {id: 'supply'})
SET m.implies = implies, m.builtAt = datetime()
"""

# The rebuild: no cell, then every volunteer's entries, then the cells counted from them. Each
# batch writes its own volunteers or its own new cells, so two run at once (the machine's two
# cores: 12.3 s -> 10.8 s on the 250K seed).
CLEAR_CELLS: LiteralString = """
MATCH (c:SupplyCell)
CALL (c) { DELETE c } IN TRANSACTIONS OF 10000 ROWS
"""

SET_ALL_ENTRIES: LiteralString = """
MATCH (v:Volunteer)
CALL (v) {
""" + VOLUNTEER_ENTRIES + """
  SET v.supplyEntries = entries
} IN 2 CONCURRENT TRANSACTIONS OF 10000 ROWS
"""

# The cells the stored entries of the volunteers `v` add up to: per cell `key`, how many
# entries (`n`) and their dated expiries (`exps`). Also the oracle of the tests and of
# bench/seed.py's check of the Python-counted cells.
ENTRY_COUNTS: LiteralString = """
UNWIND v.supplyEntries AS entry
WITH split(entry, '#') AS parts
WITH parts[0] AS key, toInteger(parts[1]) AS exp
WITH key, count(*) AS n, collect(CASE WHEN exp >= 0 THEN exp END) AS exps
"""

COUNT_ALL_CELLS: LiteralString = """
MATCH (v:Volunteer) WHERE size(v.supplyEntries) > 0
""" + ENTRY_COUNTS + """CALL (key, n, exps) {
  WITH key, n, exps, split(key, '|') AS part
  CREATE (c:SupplyCell {key: key})
  SET """ + CELL_FROM_KEY + """, c.count = n, c.exps = exps
} IN 2 CONCURRENT TRANSACTIONS OF 10000 ROWS
"""


# Per skill, the codes it implies (itself included): the closure VOLUNTEER_ENTRIES walks.
IMPLIED_CODES: LiteralString = """
MATCH (s:Skill)
OPTIONAL MATCH (s)-[:IMPLIES*0..]->(t:Skill)
RETURN s.code AS code, collect(DISTINCT t.code) AS implied
"""

CREATE_COUNTED_CELLS: LiteralString = """
UNWIND $cells AS cell
CREATE (c:SupplyCell)
SET c = cell
"""

CELL_BATCH: Final = 10_000
CELL_WRITERS: Final = 2


@dataclass(frozen=True, slots=True)
class SupplyUpkeep:
    action: str  # "rebuilt", "refreshed" or "current"
    volunteers: int = 0


async def _page(
    tx: AsyncManagedTransaction, prefix: str, after: str, limit: int
) -> list[str]:
    result = await tx.run(VOLUNTEER_ID_PAGE, prefix=prefix, after=after, limit=limit)
    return [record["id"] async for record in result]


async def _each_page(
    driver: AsyncDriver, prefix: str, batch: int, write: Callable[..., Awaitable[object]]
) -> int:
    """Run `write(tx, ids)` in its own write transaction for each page of volunteer ids."""
    seen, after = 0, ""
    async with driver.session(database=get_settings().neo4j_database) as session:
        while True:
            ids = await session.execute_read(_page, prefix, after, batch)
            if not ids:
                return seen
            await session.execute_write(write, ids)
            seen, after = seen + len(ids), ids[-1]


async def _record_state(driver: AsyncDriver) -> None:
    await driver.execute_query(RECORD_SUPPLY_STATE, database_=get_settings().neo4j_database)


async def rebuild_supply(driver: AsyncDriver) -> None:
    """Drop every cell and count them again from every volunteer's entries."""
    async with driver.session(database=get_settings().neo4j_database) as session:
        for query in (CLEAR_CELLS, SET_ALL_ENTRIES, COUNT_ALL_CELLS):
            # CALL IN TRANSACTIONS commits batch by batch: auto-commit statements
            await (await session.run(query, maxLevel=MAX_LEVEL, withdraw=False)).consume()
    await _record_state(driver)


async def implied_codes(driver: AsyncDriver) -> dict[str, list[str]]:
    """Every skill code with the codes it implies, itself included, as the graph holds them."""
    records, _, _ = await driver.execute_query(
        IMPLIED_CODES, database_=get_settings().neo4j_database
    )
    return {r["code"]: list(r["implied"]) for r in records}


async def write_counted_cells(driver: AsyncDriver, cells: list[dict[str, Any]]) -> None:
    """Replace every cell with these (property maps as `CellTally.rows` makes them), for a
    graph whose volunteers' entries were written with them and that nobody writes to
    meanwhile; then record the implications they reflect."""
    database = get_settings().neo4j_database
    async with driver.session(database=database) as session:
        await (await session.run(CLEAR_CELLS)).consume()
    batches = [cells[i : i + CELL_BATCH] for i in range(0, len(cells), CELL_BATCH)]

    async def writer(mine: list[list[dict[str, Any]]]) -> None:
        async with driver.session(database=database) as session:
            for batch in mine:
                await session.execute_write(_create_cells, batch)

    # distinct new nodes per batch: two at once use the machine's two cores
    await asyncio.gather(*(writer(batches[k::CELL_WRITERS]) for k in range(CELL_WRITERS)))
    await _record_state(driver)


async def _create_cells(tx: AsyncManagedTransaction, cells: list[dict[str, Any]]) -> None:
    await (await tx.run(CREATE_COUNTED_CELLS, cells=cells)).consume()


async def refresh_all_supply(
    driver: AsyncDriver, *, prefix: str = "", batch: int = REFRESH_BATCH
) -> int:
    """Refresh every volunteer whose id starts with `prefix`; returns how many were read."""
    seen = await _each_page(driver, prefix, batch, refresh_supply)
    if not prefix:
        await _record_state(driver)
    return seen


async def ensure_supply(driver: AsyncDriver, *, derived_written: int = 0) -> SupplyUpkeep:
    """What `tahaluf migrate` runs (see the module doc)."""
    records, _, _ = await driver.execute_query(
        SUPPLY_STATE, database_=get_settings().neo4j_database
    )
    state = records[0]
    if state["unentered"] and not state["cells"]:
        await rebuild_supply(driver)
        return SupplyUpkeep("rebuilt")
    if state["unentered"] or derived_written or state["built"] != state["implies"]:
        return SupplyUpkeep("refreshed", await refresh_all_supply(driver))
    return SupplyUpkeep("current")


async def withdraw_namespace_supply(driver: AsyncDriver, prefix: str) -> int:
    """Take every volunteer whose id starts with `prefix` out of the supply (before a
    namespace is deleted); returns how many volunteers were looked at."""
    return await _each_page(driver, prefix, REFRESH_BATCH, withdraw_supply)
