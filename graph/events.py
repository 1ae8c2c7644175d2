"""Event repository: events by id (in key order, the DataLoader contract) and filtered pages.

Event filter (all optional, AND): association (ORGANIZES), governorate (IN), domain, campaign
(the campaign id stored on the event), a time window (`starts_from` keeps events ending after
it, `until` keeps events starting before it: the events overlapping [starts_from, until)), and
`volunteer` (events where that volunteer has an assignment on one of the shifts). Pages are in
start order (then id), by offset, with the filter's total. Shifts: graph/shifts.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncDriver

from graph.cypher_runner import read_rows
from graph.keyed_reads import Row, one_row_per_key

MAX_PAGE = 200
DOMAINS = ("HEALTH", "EDUCATION", "POVERTY", "ENVIRONMENT", "AGRICULTURE", "RELIEF", "OTHER")

EVENTS_BY_IDS: LiteralString = """
UNWIND $ids AS key
MATCH (e:Event {id: key})
OPTIONAL MATCH (a:Association)-[:ORGANIZES]->(e)
OPTIONAL MATCH (e)-[:IN]->(g:Governorate)
RETURN e.id AS id, e.title AS title, e.domain AS domain, e.campaign AS campaign,
       e.lat AS lat, e.lon AS lon, e.startsAt AS startsAt, e.endsAt AS endsAt,
       e.createdAt AS createdAt, a.id AS association, g.code AS governorate
"""

EVENT_FILTER: LiteralString = """
MATCH (a:Association)-[:ORGANIZES]->(e:Event)
WHERE ($association IS NULL OR a.id = $association)
  AND ($governorate IS NULL OR EXISTS { (e)-[:IN]->(:Governorate {code: $governorate}) })
  AND ($domain IS NULL OR e.domain = $domain)
  AND ($campaign IS NULL OR e.campaign = $campaign)
  AND ($from IS NULL OR e.endsAt > $from)
  AND ($to IS NULL OR e.startsAt < $to)
  AND ($volunteer IS NULL OR EXISTS {
        MATCH (e)-[:HAS_SHIFT]->(:Shift)<-[:FOR]-(:Assignment)<-[:ASSIGNED]-(:Volunteer {id: $volunteer}) })
"""

EVENT_PAGE: LiteralString = (
    EVENT_FILTER
    + """
RETURN e.id AS id ORDER BY e.startsAt, e.id SKIP $skip LIMIT $limit
"""
)

EVENT_COUNT: LiteralString = EVENT_FILTER + "RETURN count(e) AS total"


async def get_events(driver: AsyncDriver, ids: Sequence[str]) -> list[Row | None]:
    """Each event's row (with its organizer `association` and `governorate` code), None where
    there is none."""
    return await one_row_per_key(driver, EVENTS_BY_IDS, ids)


async def event_page(
    driver: AsyncDriver,
    *,
    association: str | None = None,
    governorate: str | None = None,
    domain: str | None = None,
    campaign: str | None = None,
    starts_from: datetime | None = None,
    until: datetime | None = None,
    volunteer: str | None = None,
    skip: int = 0,
    limit: int = 50,
) -> tuple[list[str], int]:
    """The ids of one page of events matching the filter (start order) and the filter's total."""
    if not 0 <= limit <= MAX_PAGE:
        raise ValueError(f"first must be between 0 and {MAX_PAGE}")
    if domain is not None and domain not in DOMAINS:
        raise ValueError(f"domain must be one of {', '.join(DOMAINS)}")
    params: dict[str, Any] = {
        "association": association,
        "governorate": governorate,
        "domain": domain,
        "campaign": campaign,
        "from": starts_from,
        "to": until,
        "volunteer": volunteer,
    }
    rows, total = await asyncio.gather(
        read_rows(driver, EVENT_PAGE, {**params, "skip": skip, "limit": limit}),
        read_rows(driver, EVENT_COUNT, params),
    )
    return [r["id"] for r in rows], int(total[0]["total"])
