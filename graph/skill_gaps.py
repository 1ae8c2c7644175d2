"""Skill gaps: where upcoming shifts need a skill that too few available volunteers hold.

For each (skill, governorate) with open demand in the window [from, to):

- demand = open slots of shifts that START in the window, of events IN the governorate:
  for each need, its count minus the assignments filling it (PROPOSED, CONFIRMED, CHECKED_IN,
  COMPLETED with that needIndex), never below 0; summed over the needs of that skill there.
- supply = distinct active (`active = true`, which every writer sets) volunteers LIVING IN the
  governorate who hold the skill or one that IMPLIES it (transitively) at a level >= the
  smallest minLevel among those needs, not expired at the window's end (expiresAt null or
  > to), and available in the window.
- gap = demand - supply; rows sorted by gap descending (then skill, governorate).

"Available" = at least one weekly availability window (Africa/Cairo wall clock) overlaps the
window [from, to) in time: on the window's first and last day only the hours inside the window
count, a window of a week or more takes every weekly window. Blackouts (no writer sets any
today), weekly hour limits and existing bookings are ignored.

Two server-side statements in one read transaction: demand per (skill, governorate) with the
smallest minLevel, then supply for exactly those groups from the supply cells
(graph.supply_cells), which every writer keeps in step: a cell counts the volunteers of one
(governorate, skill, level, weekly spans, expiry month), so the national report reads a few
thousand cells through the index `supply_cell_group` instead of every skill holding. A cell
whose spans meet the window counts whole when it never expires or its month starts after
`to`, by its exact expiries when `to` falls in its month, not at all before. Python only
computes the window's minutes-of-week and joins the two aggregated answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, LiteralString

from neo4j import AsyncDriver, AsyncManagedTransaction

from graph.assignment_reads import BOOKED_STATUSES
from graph.availability_spans import whole_week, window_spans
from graph.training_tx import run_read

# 1) Demand per (skill, governorate), with the smallest minLevel among those needs.
SKILL_DEMAND: LiteralString = """
MATCH (sh:Shift)
WHERE sh.startsAt >= $from AND sh.startsAt < $to
MATCH (g:Governorate)<-[:IN]-(:Event)-[:HAS_SHIFT]->(sh)
WHERE $governorate IS NULL OR g.code = $governorate
MATCH (sh)-[n:NEEDS]->(s:Skill)
// expand from the shift: no label on `a` (only assignments point FOR at a shift), so the
// planner cannot pick "every assignment with an active status" through the status index
WITH g, s, n, n.count - size([
  (sh)<-[:FOR]-(a) WHERE a.needIndex = n.index AND a.status IN $filling | a
]) AS open
WHERE open > 0
RETURN s.code AS skill, g.code AS governorate, sum(open) AS demand,
       min(coalesce(n.minLevel, 1)) AS minLevel
"""

# 2) Supply of each demanded group ($groups: skill, governorate, level) from its cells: those
# of exactly that level (a cell's level already means "a holding of level >= it") whose
# weekly spans meet the window's ($window: [lo, hi, ...] minutes of the week; every cell has
# spans, so a window of a week or more ($allWeek) takes them all) and whose expiry bucket
# reaches past $to (epoch ms).
SKILL_SUPPLY: LiteralString = """
UNWIND $groups AS g
MATCH (c:SupplyCell {skill: g.skill, governorate: g.governorate, level: g.level})
WHERE (c.month < 0 OR c.monthEnd > $to)
  AND ($allWeek OR any(i IN range(0, size($window) - 1, 2) WHERE
        any(j IN range(0, size(c.spans) - 1, 2) WHERE
            c.spans[j] < $window[i + 1] AND c.spans[j + 1] > $window[i])))
RETURN g.governorate AS governorate, g.skill AS skill,
       sum(CASE WHEN c.month < 0 OR c.month > $to THEN c.count
                ELSE size([e IN c.exps WHERE e > $to]) END) AS supply
"""

# The matching rule for "holds a qualifying skill": level >= minLevel through IMPLIES*,
# not expired when the shift ends. Restricted to the given volunteers.
QUALIFIED_VOLUNTEERS: LiteralString = """
MATCH (holder:Skill)-[:IMPLIES*0..]->(:Skill {code: $skill})
WITH DISTINCT holder
MATCH (holder)<-[h:HAS_SKILL]-(v:Volunteer)
WHERE v.id IN $volunteerIds AND coalesce(v.active, true) AND h.level >= $minLevel
  AND (h.expiresAt IS NULL OR h.expiresAt > $shiftEnd)
RETURN DISTINCT v.id AS id
"""


@dataclass(frozen=True, slots=True)
class SkillGapRow:
    skill: str
    governorate: str
    demand: int
    supply: int
    gap: int


async def _rows(tx: AsyncManagedTransaction, query: LiteralString, **params: Any) -> list[Any]:
    result = await tx.run(query, **params)
    return [record.data() async for record in result]


def supply_params(
    demand: list[dict[str, Any]], end: datetime, window: list[int]
) -> dict[str, Any]:
    """The supply statement's parameters for these demand rows."""
    return {
        "groups": [
            # levels run from 1: a minLevel below it asks for any holding
            {"skill": r["skill"], "governorate": r["governorate"], "level": max(1, int(r["minLevel"]))}
            for r in demand
        ],
        "to": round(end.timestamp() * 1000),
        "window": window,
        "allWeek": whole_week(window),
    }


async def _report(
    tx: AsyncManagedTransaction,
    start: datetime,
    end: datetime,
    governorate: str | None,
    window: list[int],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    demand = await _rows(
        tx,
        SKILL_DEMAND,
        **{"from": start, "to": end},
        governorate=governorate,
        filling=BOOKED_STATUSES,  # the assignments that use up a slot of a need
    )
    if not demand:
        return [], []
    supply = await _rows(tx, SKILL_SUPPLY, **supply_params(demand, end, window))
    return demand, supply


async def skill_gaps(
    driver: AsyncDriver, start: datetime, end: datetime, governorate: str | None = None
) -> list[SkillGapRow]:
    """Skill gaps over [start, end), optionally in one governorate (see module doc)."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    demand, supply_rows = await run_read(
        driver, _report, start, end, governorate, window_spans(start, end)
    )
    supply = {(r["governorate"], r["skill"]): int(r["supply"]) for r in supply_rows}
    rows = [
        SkillGapRow(
            skill=r["skill"],
            governorate=r["governorate"],
            demand=int(r["demand"]),
            supply=supply.get((r["governorate"], r["skill"]), 0),
            gap=int(r["demand"]) - supply.get((r["governorate"], r["skill"]), 0),
        )
        for r in demand
    ]
    return sorted(rows, key=lambda r: (-r.gap, r.skill, r.governorate))


async def qualified_volunteers(
    driver: AsyncDriver,
    skill: str,
    min_level: int,
    shift_end: datetime,
    volunteer_ids: list[str],
) -> set[str]:
    """Which of `volunteer_ids` hold `skill` (or one implying it) at >= min_level, valid at shift_end."""
    rows = await run_read(
        driver,
        _rows,
        QUALIFIED_VOLUNTEERS,
        skill=skill,
        minLevel=min_level,
        shiftEnd=shift_end.astimezone(UTC),
        volunteerIds=list(volunteer_ids),
    )
    return {r["id"] for r in rows}
