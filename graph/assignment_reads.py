"""Assignment reads: assignments by id and the assignments of shifts, batched by key, results
in key order (the DataLoader contract). A page of each volunteer's assignments (same
projection): graph/volunteer_assignments.py; the lifecycle writes: graph/assignments.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import LiteralString

from neo4j import AsyncDriver

from graph.keyed_reads import Row, one_row_per_key, rows_per_key

# The statuses of an assignment still under way (proposed, confirmed, checked in): they hold a
# loan against the lender's quota "at once" and can still change.
ACTIVE_STATUSES = ["PROPOSED", "CONFIRMED", "CHECKED_IN"]
# The statuses that take the volunteer's time and fill the slot: the active ones and COMPLETED
# (a completed shift, possibly completed before it ends, still counts for overlap, rest and
# weekly hours, and its slot stays filled). NO_SHOW, DECLINED, CANCELLED, EXPIRED free both.
BOOKED_STATUSES = [*ACTIVE_STATUSES, "COMPLETED"]

ASSIGNMENT_FIELDS: LiteralString = """
RETURN a.id AS id, a.status AS status, coalesce(a.needIndex, 0) AS needIndex,
       coalesce(a.viaExchange, false) AS viaExchange, coalesce(a.cost, 0.0) AS cost,
       coalesce(a.termNames, []) AS termNames, coalesce(a.termValues, []) AS termValues,
       a.startsAt AS startsAt, a.endsAt AS endsAt, a.eventId AS eventId,
       a.createdAt AS createdAt, a.updatedAt AS updatedAt, coalesce(a.history, []) AS history,
       a.hours AS hours, a.runId AS runId, v.id AS volunteerId, s.id AS shiftId,
       k.code AS skill, l.id AS lender
"""

ASSIGNMENTS_BY_IDS: LiteralString = (
    """
UNWIND $ids AS key
MATCH (v:Volunteer)-[:ASSIGNED]->(a:Assignment {id: key})-[:FOR]->(s:Shift)
OPTIONAL MATCH (a)-[:AS]->(k:Skill)
OPTIONAL MATCH (a)-[:LENT_BY]->(l:Association)
"""
    + ASSIGNMENT_FIELDS
)

ASSIGNMENTS_OF_SHIFTS: LiteralString = (
    """
UNWIND $ids AS key
MATCH (v:Volunteer)-[:ASSIGNED]->(a:Assignment)-[:FOR]->(s:Shift {id: key})
OPTIONAL MATCH (a)-[:AS]->(k:Skill)
OPTIONAL MATCH (a)-[:LENT_BY]->(l:Association)
"""
    + ASSIGNMENT_FIELDS
    + """
ORDER BY s.id, a.needIndex, a.createdAt, a.id
"""
)

async def get_assignments(driver: AsyncDriver, ids: Sequence[str]) -> list[Row | None]:
    """Each assignment's row (with volunteerId, shiftId, skill, lender), None where there is
    none."""
    return await one_row_per_key(driver, ASSIGNMENTS_BY_IDS, ids)


async def assignments_of_shifts(driver: AsyncDriver, shift_ids: Sequence[str]) -> list[list[Row]]:
    """Each shift's assignments (every status), by need index then creation time."""
    return await rows_per_key(driver, ASSIGNMENTS_OF_SHIFTS, shift_ids, "shiftId")
