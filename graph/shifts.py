"""Shift repository: shifts by id, the shifts of events, and the needs of shifts with how many
are filled; every read batched by key, results in key order (the DataLoader contract)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import LiteralString

from neo4j import AsyncDriver

from graph.keyed_reads import Row, one_row_per_key, rows_per_key

SHIFTS_BY_IDS: LiteralString = """
UNWIND $ids AS key
MATCH (e:Event)-[:HAS_SHIFT]->(s:Shift {id: key})
RETURN s.id AS id, e.id AS eventId, s.startsAt AS startsAt, s.endsAt AS endsAt,
       coalesce(s.urgent, false) AS urgent
"""

SHIFTS_OF_EVENTS: LiteralString = """
UNWIND $ids AS key
MATCH (e:Event {id: key})-[:HAS_SHIFT]->(s:Shift)
RETURN s.id AS id, e.id AS eventId, s.startsAt AS startsAt, s.endsAt AS endsAt,
       coalesce(s.urgent, false) AS urgent
ORDER BY s.startsAt, s.id
"""

# `filled`: the need's assignments that hold or held the slot (active or completed). `(a)`
# without the Assignment label (only assignments point FOR at a shift): with it the planner may
# seek every active assignment through the status index once per need.
NEEDS_OF_SHIFTS: LiteralString = """
UNWIND $ids AS key
MATCH (s:Shift {id: key})-[n:NEEDS]->(k:Skill)
RETURN key AS shiftId, n.index AS index, k.code AS skill, n.count AS count,
       coalesce(n.minLevel, 1) AS minLevel, n.gender AS gender, n.minAge AS minAge,
       COUNT { (a)-[:FOR]->(s)
               WHERE a.needIndex = n.index
                 AND a.status IN ['PROPOSED', 'CONFIRMED', 'CHECKED_IN', 'COMPLETED'] } AS filled
ORDER BY key, n.index
"""


async def get_shifts(driver: AsyncDriver, ids: Sequence[str]) -> list[Row | None]:
    """Each shift's row (with its `eventId`), None where there is none."""
    return await one_row_per_key(driver, SHIFTS_BY_IDS, ids)


async def shifts_of_events(driver: AsyncDriver, event_ids: Sequence[str]) -> list[list[Row]]:
    """Each event's shifts in start order."""
    return await rows_per_key(driver, SHIFTS_OF_EVENTS, event_ids, "eventId")


async def needs_of_shifts(driver: AsyncDriver, shift_ids: Sequence[str]) -> list[list[Row]]:
    """Each shift's needs by index: skill, count, minLevel, gender, minAge, filled."""
    return await rows_per_key(driver, NEEDS_OF_SHIFTS, shift_ids, "shiftId")
