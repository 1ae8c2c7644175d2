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

Two server-side statements: demand per (skill, governorate) with the skills that qualify for
each, then supply for exactly those groups in one pass over the volunteers living in the
demanded governorates (starting from the governorate keeps a one-governorate report cheap).
Python only computes the window's weekdays and joins the two aggregated answers.
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

# 2) Supply for those groups in one pass over the volunteers living in the demanded
# governorates: active and available are checked once per volunteer BEFORE its holdings are
# expanded (not once per aggregated group row), and a holding's skill is matched against the
# qualifying Skill nodes by identity (no code read per holding); each qualifying holding counts for every
# demanded skill it qualifies for ($targets: holder code -> demanded codes) when its level
# reaches that group's minLevel ($minLevels: "gov|skill"), and a volunteer counts once per
# (governorate, skill) (count DISTINCT) - the same as "best qualifying level >= minLevel".
SKILL_SUPPLY: LiteralString = """
MATCH (k:Skill) WHERE k.code IN $holderCodes
WITH collect(k) AS holders
MATCH (g:Governorate)<-[:LIVES_IN]-(v:Volunteer)
WHERE g.code IN $governorates AND coalesce(v.active, true)
  AND CASE WHEN $allWeek THEN coalesce(v.availability, '') CONTAINS '"weekday"'
           ELSE any(d IN $weekdays WHERE replace(coalesce(v.availability, ''), ' ', '')
                    CONTAINS ('"weekday":' + toString(d))) END
MATCH (v)-[h:HAS_SKILL]->(k)
WHERE k IN holders AND (h.expiresAt IS NULL OR h.expiresAt > $to)
UNWIND $targets[k.code] AS target
WITH g.code AS governorate, target, v, h.level AS level
WHERE level >= $minLevels[governorate + '|' + target]
RETURN governorate, target AS skill, count(DISTINCT v) AS supply
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
    window = {"from": start.astimezone(UTC), "to": end.astimezone(UTC)}
    demand = await run_read(
        driver,
        _rows,
        SKILL_DEMAND,
        **window,
        governorate=governorate,
        filling=list(FILLING_STATUSES),
    )
    if not demand:
        return []
    targets: dict[str, set[str]] = {}
    for row in demand:
        for holder in row["holders"]:
            targets.setdefault(holder, set()).add(row["skill"])
    supply_rows = await run_read(
        driver,
        _rows,
        SKILL_SUPPLY,
        to=window["to"],
        governorates=sorted({r["governorate"] for r in demand}),
        holderCodes=sorted(targets),
        targets={code: sorted(skills) for code, skills in targets.items()},
        minLevels={f"{r['governorate']}|{r['skill']}": int(r["minLevel"]) for r in demand},
        weekdays=weekdays,
        allWeek=len(weekdays) == 7,
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
