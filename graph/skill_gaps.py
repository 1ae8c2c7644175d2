"""Skill gaps: where upcoming shifts need a skill that too few available volunteers hold.

For each (skill, governorate) with open demand in the window [from, to):

- demand = open slots of shifts that START in the window, of events IN the governorate:
  for each need, its count minus the assignments filling it (PROPOSED, CONFIRMED, CHECKED_IN,
  COMPLETED with that needIndex), never below 0; summed over the needs of that skill there.
- supply = distinct active volunteers LIVING IN the governorate who hold the skill or one that
  IMPLIES it (transitively) at a level >= the smallest minLevel among those needs, not expired
  at the window's end (expiresAt null or > to), and available in the window.
- gap = demand - supply; rows sorted by gap descending (then skill, governorate).

"Available" is an approximation on weekly availability only: the volunteer has at least one
weekly window (`availability` JSON) on a weekday (1=Mon..7=Sun, Africa/Cairo) that occurs in
[from, to); time of day, blackouts, weekly hour limits and existing bookings are ignored. The
weekdays are read from the JSON text on the server (no derived property needed): a window for
weekday d appears as `"weekday":d` once spaces are removed (weekdays are single digits); a
window of 7 days or more takes every weekday, so any weekly window counts.

Everything runs on the server in one query; Python only computes the window's weekdays.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, LiteralString
from zoneinfo import ZoneInfo

from neo4j import AsyncDriver, AsyncManagedTransaction

from graph.training_tx import run_read

CAIRO = ZoneInfo("Africa/Cairo")

# Assignments that use up a slot of a need.
FILLING_STATUSES = ("PROPOSED", "CONFIRMED", "CHECKED_IN", "COMPLETED")

SKILL_GAPS: LiteralString = """
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
WITH s, collect({code: g.code, demand: demand, minLevel: minLevel}) AS groups
CALL (s, groups) {
  MATCH (holder:Skill)-[:IMPLIES*0..]->(s)
  WITH DISTINCT holder
  MATCH (holder)<-[h:HAS_SKILL]-(v:Volunteer)
  WHERE coalesce(v.active, true) AND (h.expiresAt IS NULL OR h.expiresAt > $to)
  WITH v, max(h.level) AS level
  MATCH (v)-[:LIVES_IN]->(vg:Governorate)
  WITH v, level, vg.code AS code, [x IN groups WHERE x.code = vg.code | x.minLevel] AS need
  WHERE size(need) > 0 AND level >= need[0]
    AND CASE WHEN $allWeek THEN coalesce(v.availability, '') CONTAINS '"weekday"'
             ELSE any(d IN $weekdays WHERE replace(coalesce(v.availability, ''), ' ', '')
                      CONTAINS ('"weekday":' + toString(d))) END
  WITH code, count(v) AS supply
  RETURN collect({code: code, supply: supply}) AS supplies
}
UNWIND groups AS grp
WITH s, grp, coalesce([x IN supplies WHERE x.code = grp.code | x.supply][0], 0) AS supply
RETURN s.code AS skill, grp.code AS governorate, grp.demand AS demand, supply,
       grp.demand - supply AS gap
ORDER BY gap DESC, skill, governorate
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


def window_weekdays(start: datetime, end: datetime) -> list[int]:
    """ISO weekdays (1=Mon..7=Sun, Africa/Cairo dates) that occur in [start, end)."""
    if end <= start:
        return []
    first = start.astimezone(CAIRO).date()
    last = (end - timedelta(microseconds=1)).astimezone(CAIRO).date()
    days: set[int] = set()
    day = first
    while day <= last and len(days) < 7:
        days.add(day.isoweekday())
        day += timedelta(days=1)
    return sorted(days)


async def _rows(tx: AsyncManagedTransaction, query: LiteralString, **params: Any) -> list[Any]:
    result = await tx.run(query, **params)
    return [record.data() async for record in result]


async def skill_gaps(
    driver: AsyncDriver, start: datetime, end: datetime, governorate: str | None = None
) -> list[SkillGapRow]:
    """Skill gaps over [start, end), optionally in one governorate (see module doc)."""
    weekdays = window_weekdays(start, end)
    rows = await run_read(
        driver,
        _rows,
        SKILL_GAPS,
        **{
            "from": start.astimezone(UTC),
            "to": end.astimezone(UTC),
            "governorate": governorate,
            "filling": list(FILLING_STATUSES),
            "weekdays": weekdays,
            "allWeek": len(weekdays) == 7,
        },
    )
    return [
        SkillGapRow(
            skill=r["skill"],
            governorate=r["governorate"],
            demand=int(r["demand"]),
            supply=int(r["supply"]),
            gap=int(r["gap"]),
        )
        for r in rows
    ]


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
