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

It reads derived, queryable Volunteer properties kept in step by every writer
(graph.volunteer_derived): `governorate` (the LIVES_IN code), `availWeekdays` (weekdays with a
window) and `availSpans` (the weekly windows as minutes-of-week intervals,
graph.availability_spans), so neither a relationship walk per volunteer nor JSON string
matching is needed; the first two come straight from the index `volunteer_supply`
(governorate, active, availWeekdays), and the spans are read only when the window is shorter
than a week.

Two server-side statements in one read transaction: demand per (skill, governorate) with the
skills that qualify for each (the IMPLIES closure, once per demanded skill), then supply for
exactly those groups. The supply statement has two shapes with the same answer:
- the national report (most volunteers live in a demanded governorate): the holdings of the
  qualifying Skill nodes (dense: their incoming HAS_SKILL are stored by type, one db hit per
  holding) hash-joined with the active volunteers of the demanded governorates read from the
  index `volunteer_supply`, which also supplies the values the filters need (per-volunteer
  property reads were most of the cost);
- a report on a few governorates: their active volunteers from the same index, then their
  holdings - it touches only their volunteers.
Python only computes the window's minutes-of-week and joins the two aggregated answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final, LiteralString

from neo4j import AsyncDriver, AsyncManagedTransaction

from graph.availability_spans import span_weekdays, whole_week, window_spans
from graph.training_tx import run_read

# Assignments that use up a slot of a need.
FILLING_STATUSES = ("PROPOSED", "CONFIRMED", "CHECKED_IN", "COMPLETED")

# Up to this many demanded governorates the supply starts from their volunteers (each
# governorate holds ~1/27 of them); beyond, from the qualifying skills' holdings.
FEW_GOVERNORATES: Final = 3

# 1) Demand per (skill, governorate), with the smallest minLevel among those needs and the
# skills that qualify for it (itself and every skill that IMPLIES it, transitively).
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
WITH s, g, sum(open) AS demand, min(coalesce(n.minLevel, 1)) AS minLevel
CALL (s) {
  MATCH (holder:Skill)-[:IMPLIES*0..]->(s)
  RETURN collect(DISTINCT holder.code) AS holders
}
RETURN s.code AS skill, g.code AS governorate, demand, minLevel, holders
"""

# "Available in the window" on one volunteer `v`: a weekday of its windows is one of the
# window's ($days, from the index), and - unless the window covers the whole week ($allWeek)
# - one of its minutes-of-week spans overlaps one of the window's ($window: [lo, hi, ...]).
_AVAILABLE: LiteralString = """any(d IN v.availWeekdays WHERE d IN $days)
  AND CASE WHEN $allWeek THEN true
      ELSE any(i IN range(0, size($window) - 1, 2) WHERE
             any(j IN range(0, size(coalesce(v.availSpans, [])) - 1, 2) WHERE
                 v.availSpans[j] < $window[i + 1] AND v.availSpans[j + 1] > $window[i])) END"""

# Each qualifying holding counts for every demanded skill it qualifies for ($targets: holder
# code -> demanded codes) when its level reaches that group's minLevel ($minLevels:
# governorate -> skill -> level); a volunteer counts once per (governorate, skill) (count
# DISTINCT) - the same as "best qualifying level >= minLevel".
_PER_GROUP: LiteralString = """
UNWIND $targets[k.code] AS target
WITH governorate, target, v, level
WHERE level >= $minLevels[governorate][target]
RETURN governorate, target AS skill, count(DISTINCT v) AS supply
"""

# 2a) Supply from the qualifying skills' holdings (the national report): the active
# volunteers of the demanded governorates come from the index `volunteer_supply` with their
# governorate and weekdays, the holdings from the Skill side, joined on the volunteer by a
# hash join (reading those per holding from the property store cost more than all the rest).
SKILL_SUPPLY_BY_HOLDINGS: LiteralString = """
MATCH (k:Skill) WHERE k.code IN $holderCodes
MATCH (k)<-[h:HAS_SKILL]-(v:Volunteer)
USING JOIN ON v
WHERE v.governorate IN $governorates AND v.active = true AND v.availWeekdays IS NOT NULL
  AND (h.expiresAt IS NULL OR h.expiresAt > $to)
WITH k, v, v.governorate AS governorate, h.level AS level
WHERE """ + _AVAILABLE + _PER_GROUP

# 2b) Supply from the active volunteers of a few demanded governorates, then their holdings.
SKILL_SUPPLY_BY_VOLUNTEERS: LiteralString = """
MATCH (k:Skill) WHERE k.code IN $holderCodes
WITH collect(k) AS holders
MATCH (v:Volunteer)
WHERE v.governorate IN $governorates AND v.active = true AND v.availWeekdays IS NOT NULL
WITH holders, v, v.governorate AS governorate
WHERE """ + _AVAILABLE + """
MATCH (v)-[h:HAS_SKILL]->(k)
WHERE k IN holders AND (h.expiresAt IS NULL OR h.expiresAt > $to)
WITH k, v, governorate, h.level AS level""" + _PER_GROUP

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
    targets: dict[str, set[str]] = {}
    min_levels: dict[str, dict[str, int]] = {}
    for row in demand:
        for holder in row["holders"]:
            targets.setdefault(holder, set()).add(row["skill"])
        min_levels.setdefault(row["governorate"], {})[row["skill"]] = int(row["minLevel"])
    return {
        "to": end,
        "governorates": sorted(min_levels),
        "holderCodes": sorted(targets),
        "targets": {code: sorted(skills) for code, skills in targets.items()},
        "minLevels": min_levels,
        "window": window,
        "days": span_weekdays(window),
        "allWeek": whole_week(window),
    }


def supply_statement(governorates: int) -> LiteralString:
    """The supply shape for a report over this many demanded governorates (see module doc)."""
    if governorates <= FEW_GOVERNORATES:
        return SKILL_SUPPLY_BY_VOLUNTEERS
    return SKILL_SUPPLY_BY_HOLDINGS


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
        filling=list(FILLING_STATUSES),
    )
    if not demand:
        return [], []
    params = supply_params(demand, end, window)
    supply = await _rows(tx, supply_statement(len(params["governorates"])), **params)
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
