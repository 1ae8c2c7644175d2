"""Planning together: find other associations' events that would compete with a new one.

Two events compete when they are of the same domain, organised by different associations,
overlap in time (start1 < end2 and start2 < end1) and lie within 5 km of each other
(great-circle distance between WGS-84 points, Neo4j `point.distance`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, LiteralString
from zoneinfo import ZoneInfo

from neo4j import AsyncDriver, AsyncManagedTransaction, AsyncSession

from graph.training_tx import run_read

CAIRO = ZoneInfo("Africa/Cairo")
COORDINATION_RADIUS_M = 5000.0

COMPETING_EVENTS: LiteralString = """
MATCH (other:Association)-[:ORGANIZES]->(e:Event)
WHERE other.id <> $associationId AND e.domain = $domain
  AND e.startsAt < $endsAt AND e.endsAt > $startsAt
WITH other, e, point.distance(
  point({latitude: e.lat, longitude: e.lon}),
  point({latitude: $lat, longitude: $lon})
) AS meters
WHERE meters <= $radius
RETURN e.id AS eventId, e.title AS title, other.name AS association, meters,
       e.startsAt AS startsAt, e.endsAt AS endsAt
ORDER BY meters, eventId
"""

# Pairs of competing events in a window, each pair once (first.id < second.id).
OVERLAPPING_PAIRS: LiteralString = """
MATCH (a1:Association)-[:ORGANIZES]->(e1:Event)
WHERE e1.startsAt < $to AND e1.endsAt > $from
MATCH (a2:Association)-[:ORGANIZES]->(e2:Event)
WHERE e2.domain = e1.domain AND e1.id < e2.id AND a1 <> a2
  AND e2.startsAt < e1.endsAt AND e2.endsAt > e1.startsAt
WITH a1, e1, a2, e2, point.distance(
  point({latitude: e1.lat, longitude: e1.lon}),
  point({latitude: e2.lat, longitude: e2.lon})
) AS meters
WHERE meters <= $radius
RETURN e1.id AS firstId, e1.title AS firstTitle, a1.name AS firstAssociation,
       e2.id AS secondId, e2.title AS secondTitle, a2.name AS secondAssociation,
       e1.domain AS domain, meters,
       CASE WHEN e1.startsAt > e2.startsAt THEN e1.startsAt ELSE e2.startsAt END AS overlapStart,
       CASE WHEN e1.endsAt < e2.endsAt THEN e1.endsAt ELSE e2.endsAt END AS overlapEnd
ORDER BY overlapStart, firstId, secondId
LIMIT $limit
"""


@dataclass(frozen=True, slots=True)
class CoordinationOverlap:
    first_event_id: str
    second_event_id: str
    distance_km: float
    reason: str


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def _cairo(value: datetime) -> str:
    return value.astimezone(CAIRO).strftime("%Y-%m-%d %H:%M")


def overlap_reason(
    association: str, title: str, meters: float, start: datetime, end: datetime
) -> str:
    """Human text naming the other association, its event, the distance and the overlap."""
    return (
        f"{association} runs '{title}' {meters / 1000:.1f} km away, overlapping "
        f"from {_cairo(start)} to {_cairo(end)} (Cairo time); plan it together"
    )


async def find_coordination_warnings(
    tx_or_session: AsyncManagedTransaction | AsyncSession,
    association_id: str,
    domain: str,
    lat: float,
    lon: float,
    starts_at: datetime,
    ends_at: datetime,
) -> list[tuple[str, str]]:
    """(event_id, reason) for each other association's competing event, nearest first."""
    result = await tx_or_session.run(
        COMPETING_EVENTS,
        associationId=association_id,
        domain=domain,
        lat=float(lat),
        lon=float(lon),
        startsAt=starts_at.astimezone(UTC),
        endsAt=ends_at.astimezone(UTC),
        radius=COORDINATION_RADIUS_M,
    )
    warnings: list[tuple[str, str]] = []
    async for r in result:
        start = max(_native(r["startsAt"]), starts_at)
        end = min(_native(r["endsAt"]), ends_at)
        reason = overlap_reason(r["association"], r["title"], float(r["meters"]), start, end)
        warnings.append((r["eventId"], reason))
    return warnings


async def _pairs(tx: AsyncManagedTransaction, **params: Any) -> list[Any]:
    result = await tx.run(OVERLAPPING_PAIRS, **params)
    return [record.data() async for record in result]


async def coordination_overlaps(
    driver: AsyncDriver, start: datetime, end: datetime, limit: int = 200
) -> list[CoordinationOverlap]:
    """Competing event pairs of different associations that touch the window [start, end)."""
    rows = await run_read(
        driver,
        _pairs,
        **{"from": start, "to": end, "radius": COORDINATION_RADIUS_M, "limit": limit},
    )
    overlaps = []
    for r in rows:
        start_o, end_o = _native(r["overlapStart"]), _native(r["overlapEnd"])
        reason = (
            f"{r['firstAssociation']} ('{r['firstTitle']}') and {r['secondAssociation']} "
            f"('{r['secondTitle']}') both run {r['domain']} work {r['meters'] / 1000:.1f} km apart "
            f"from {_cairo(start_o)} to {_cairo(end_o)} (Cairo time)"
        )
        overlaps.append(
            CoordinationOverlap(r["firstId"], r["secondId"], round(r["meters"] / 1000, 3), reason)
        )
    return overlaps
