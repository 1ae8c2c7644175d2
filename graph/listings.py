"""Filtered, paged lists for the API's root fields (volunteers, events, assignments, ...).

Pages are keyset or offset based; every function returns (rows, total) so the API can
build Relay connections with `totalCount`.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncDriver

from graph.cypher_runner import read_rows

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

VOLUNTEER_ASSIGNMENT_PAGES: LiteralString = """
UNWIND $volunteers AS key
CALL (key) {
  OPTIONAL MATCH (:Volunteer {id: key})-[:ASSIGNED]->(a:Assignment)
  WHERE ($statuses IS NULL OR a.status IN $statuses)
    AND ($from IS NULL OR a.endsAt > $from)
    AND ($to IS NULL OR a.startsAt < $to)
    AND ($association IS NULL
         OR EXISTS { MATCH (a)-[:FOR]->(:Shift)<-[:HAS_SHIFT]-(:Event)
                           <-[:ORGANIZES]-(:Association {id: $association}) }
         OR EXISTS { (a)-[:LENT_BY]->(:Association {id: $association}) })
  WITH a ORDER BY a.startsAt, a.id
  RETURN collect(a.id) AS ids
}
RETURN key AS volunteerId, size(ids) AS total, ids[$skip..$skip + $limit] AS page
"""

EXCHANGE_REQUEST_IDS: LiteralString = """
MATCH (x:ExchangeRequest)
WHERE ($statuses IS NULL OR x.status IN $statuses)
  AND ($borrower IS NULL OR EXISTS { (x)-[:BORROWER]->(:Association {id: $borrower}) })
  AND ($lender IS NULL OR EXISTS { (x)-[:LENDER]->(:Association {id: $lender}) })
RETURN x.id AS id ORDER BY x.createdAt DESC, x.id LIMIT 1000
"""

ALL_ASSOCIATION_IDS: LiteralString = "MATCH (a:Association) RETURN a.id AS id ORDER BY a.id"
ALL_GOVERNORATE_CODES: LiteralString = "MATCH (g:Governorate) RETURN g.code AS id ORDER BY g.code"
ALL_SKILL_CODES: LiteralString = "MATCH (s:Skill) RETURN s.code AS id ORDER BY s.code"


async def event_page(
    driver: AsyncDriver,
    *,
    association: str | None,
    governorate: str | None,
    domain: str | None,
    campaign: str | None,
    starts_from: datetime | None,
    until: datetime | None,
    volunteer: str | None,
    skip: int,
    limit: int,
) -> tuple[list[str], int]:
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


async def volunteer_assignment_pages(
    driver: AsyncDriver,
    volunteers: list[str],
    *,
    statuses: list[str] | None,
    starts_from: datetime | None,
    until: datetime | None,
    association: str | None,
    skip: int,
    limit: int,
) -> dict[str, tuple[list[str], int]]:
    """For each volunteer, one page of its assignments (by start time) and their total."""
    rows = await read_rows(
        driver,
        VOLUNTEER_ASSIGNMENT_PAGES,
        {
            "volunteers": volunteers,
            "statuses": statuses,
            "from": starts_from,
            "to": until,
            "association": association,
            "skip": skip,
            "limit": limit,
        },
    )
    return {r["volunteerId"]: (list(r["page"]), int(r["total"])) for r in rows}


async def volunteer_assignment_page(
    driver: AsyncDriver,
    *,
    volunteer: str,
    statuses: list[str] | None,
    starts_from: datetime | None,
    until: datetime | None,
    association: str | None,
    skip: int,
    limit: int,
) -> tuple[list[str], int]:
    """One volunteer's page and total (the same statement the API's loader runs)."""
    pages = await volunteer_assignment_pages(
        driver,
        [volunteer],
        statuses=statuses,
        starts_from=starts_from,
        until=until,
        association=association,
        skip=skip,
        limit=limit,
    )
    return pages.get(volunteer, ([], 0))


async def exchange_request_ids(
    driver: AsyncDriver, *, statuses: list[str] | None, borrower: str | None, lender: str | None
) -> list[str]:
    rows = await read_rows(
        driver, EXCHANGE_REQUEST_IDS, {"statuses": statuses, "borrower": borrower, "lender": lender}
    )
    return [r["id"] for r in rows]


async def all_association_ids(driver: AsyncDriver) -> list[str]:
    return [r["id"] for r in await read_rows(driver, ALL_ASSOCIATION_IDS)]


async def all_governorate_codes(driver: AsyncDriver) -> list[str]:
    return [r["id"] for r in await read_rows(driver, ALL_GOVERNORATE_CODES)]


async def all_skill_codes(driver: AsyncDriver) -> list[str]:
    return [r["id"] for r in await read_rows(driver, ALL_SKILL_CODES)]
