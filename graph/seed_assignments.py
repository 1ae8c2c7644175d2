"""Synthetic upcoming assignments for read benchmarks, created under one tag and deleted by it.

The benchmark of `me { assignments }` needs volunteers who really have a page of upcoming
assignments. This writes, for a sample of existing volunteers, 5-20 assignments each on the
shifts of ONE new event (one shift per day, so no volunteer is double-booked), in the same
shape the matching commit writes (ASSIGNED/FOR/AS, startsAt/endsAt copied from the shift,
cost terms, history, runId). Everything created carries ids starting with the tag; the
assignments carry `runId = tag`, and `delete_bench_assignments` removes exactly those nodes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, LiteralString
from zoneinfo import ZoneInfo

from neo4j import AsyncDriver

from graph.cypher_runner import interactive_session

CAIRO = ZoneInfo("Africa/Cairo")
SKILL = "food_packing"
TERM_NAMES = ["distance", "overLevel", "hoursThisMonth", "unreliability", "exchange"]
BATCH = 5000

RANDOM_ACTIVE_VOLUNTEERS: LiteralString = """
MATCH (v:Volunteer) WHERE coalesce(v.active, true)
WITH v.id AS id, rand() AS r ORDER BY r LIMIT $n
RETURN id
"""

CREATE_EVENT: LiteralString = """
MATCH (org:Association) WITH org ORDER BY org.id LIMIT 1
MATCH (g:Governorate {code: $governorate}), (k:Skill {code: $skill})
CREATE (org)-[:ORGANIZES]->(e:Event {id: $event, title: $title, domain: 'POVERTY',
        lat: g.lat, lon: g.lon, startsAt: $startsAt, endsAt: $endsAt, createdAt: $now})
CREATE (e)-[:IN]->(g)
WITH e, k
UNWIND $shifts AS sh
CREATE (e)-[:HAS_SHIFT]->(s:Shift {id: sh.id, startsAt: sh.startsAt, endsAt: sh.endsAt,
        urgent: false})
CREATE (s)-[:NEEDS {index: 0, count: sh.count, minLevel: 1}]->(k)
"""

CREATE_ASSIGNMENTS: LiteralString = """
MATCH (k:Skill {code: $skill})
UNWIND $rows AS r
MATCH (v:Volunteer {id: r.volunteer}), (s:Shift {id: r.shift})
CREATE (v)-[:ASSIGNED]->(a:Assignment {id: r.id, status: r.status, needIndex: 0,
        viaExchange: false, cost: r.cost, termNames: $termNames, termValues: r.terms,
        startsAt: s.startsAt, endsAt: s.endsAt, eventId: $event, createdAt: $now,
        updatedAt: $now, history: [r.status + '|' + $nowIso + '|bench'], runId: $tag})
CREATE (a)-[:FOR]->(s)
CREATE (a)-[:AS]->(k)
"""

DELETE_ASSIGNMENTS: LiteralString = """
MATCH (a:Assignment {runId: $tag}) WITH a LIMIT $batch
DETACH DELETE a
RETURN count(*) AS n
"""

DELETE_EVENT: LiteralString = """
MATCH (e:Event {id: $event})
OPTIONAL MATCH (e)-[:HAS_SHIFT]->(s:Shift)
DETACH DELETE s, e
"""


@dataclass(frozen=True, slots=True)
class BenchAssignments:
    """What was created: the tag, the event, and each volunteer's number of assignments."""

    tag: str
    event: str
    per_volunteer: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.per_volunteer.values())


def plan_assignments(
    tag: str,
    volunteers: list[str],
    shift_ids: list[str],
    *,
    fewest: int,
    most: int,
    seed: int,
) -> list[dict[str, Any]]:
    """Each volunteer gets between `fewest` and `most` distinct shifts (pure, seeded)."""
    if not 1 <= fewest <= most <= len(shift_ids):
        raise ValueError(f"need 1 <= fewest <= most <= {len(shift_ids)} shifts")
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    for volunteer in volunteers:
        for shift in rng.sample(shift_ids, rng.randint(fewest, most)):
            terms = [round(rng.uniform(0.0, 5.0), 3), 0.0, round(rng.uniform(0, 2), 3), 0.1, 0.0]
            rows.append(
                {
                    "id": f"{tag}-A{len(rows):07d}",
                    "volunteer": volunteer,
                    "shift": shift,
                    "status": "CONFIRMED" if rng.random() < 0.65 else "PROPOSED",
                    "cost": round(sum(terms), 3),
                    "terms": terms,
                }
            )
    return rows


def _shifts(tag: str, first_day: date, days: int, per_shift: int) -> list[dict[str, Any]]:
    shifts = []
    for d in range(days):
        day = first_day + timedelta(days=d)
        start = datetime.combine(day, time(9 + 3 * (d % 3)), tzinfo=CAIRO).astimezone(UTC)
        shifts.append(
            {
                "id": f"{tag}-S{d:03d}",
                "startsAt": start,
                "endsAt": start + timedelta(hours=3),
                "count": per_shift,
            }
        )
    return shifts


async def sample_volunteers(driver: AsyncDriver, n: int) -> list[str]:
    """`n` distinct active volunteers drawn at random from the whole database (the top-n of
    a random key in Neo4j: ~1 s on 250K, where shipping every id to Python took ~45 s)."""
    async with interactive_session(driver) as session:
        result = await session.run(RANDOM_ACTIVE_VOLUNTEERS, {"n": n})
        return [record["id"] async for record in result]


async def create_bench_assignments(
    driver: AsyncDriver,
    tag: str,
    volunteers: list[str],
    *,
    first_day: date,
    days: int = 40,
    fewest: int = 5,
    most: int = 20,
    seed: int = 7,
) -> BenchAssignments:
    """One event of `days` daily shifts from `first_day` (Cairo), and 5-20 assignments for each
    volunteer on them. Call `delete_bench_assignments(driver, tag)` afterwards, also on failure."""
    shift_rows = _shifts(tag, first_day, days, per_shift=max(1, len(volunteers)))
    shift_ids = [s["id"] for s in shift_rows]
    rows = plan_assignments(tag, volunteers, shift_ids, fewest=fewest, most=most, seed=seed)
    now = datetime.now(UTC)
    event = f"{tag}-E"
    async with interactive_session(driver) as session:
        await session.execute_write(
            _run,
            CREATE_EVENT,
            {
                "event": event,
                "title": f"bench {tag}",
                "governorate": "01",
                "skill": SKILL,
                "startsAt": shift_rows[0]["startsAt"],
                "endsAt": shift_rows[-1]["endsAt"],
                "now": now,
                "shifts": shift_rows,
            },
        )
        for i in range(0, len(rows), BATCH):
            await session.execute_write(
                _run,
                CREATE_ASSIGNMENTS,
                {
                    "rows": rows[i : i + BATCH],
                    "skill": SKILL,
                    "termNames": TERM_NAMES,
                    "event": event,
                    "now": now,
                    "nowIso": now.isoformat(),
                    "tag": tag,
                },
            )
    per_volunteer: dict[str, int] = {}
    for row in rows:
        per_volunteer[row["volunteer"]] = per_volunteer.get(row["volunteer"], 0) + 1
    return BenchAssignments(tag=tag, event=event, per_volunteer=per_volunteer)


async def delete_bench_assignments(driver: AsyncDriver, tag: str) -> int:
    """Delete the tagged assignments, then the tagged event and its shifts; returns how many
    assignments went."""
    deleted = 0
    async with interactive_session(driver) as session:
        while True:
            rows = await session.execute_write(
                _run, DELETE_ASSIGNMENTS, {"tag": tag, "batch": BATCH}
            )
            deleted += int(rows[0]["n"])
            if not rows[0]["n"]:
                break
        await session.execute_write(_run, DELETE_EVENT, {"event": f"{tag}-E"})
    return deleted


async def _run(tx: Any, query: LiteralString, params: dict[str, Any]) -> list[dict[str, Any]]:
    result = await tx.run(query, params)
    return [record.data() async for record in result]
