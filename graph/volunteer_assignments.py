"""The volunteer-assignments read: for each volunteer, one page of its assignments WITH their
rows, and the total, in ONE statement.

`me { assignments(first: 20) { ... } }` used to cost two statements (the page of ids, then the
rows by id); this returns the rows with the same keys and values as `ASSIGNMENTS_BY_IDS`, so the
API can prime its assignments loader with them and skip the second round trip.

Its four DateTimes per row travel as [epochSeconds, nanosecond] pairs and become aware UTC
`datetime`s here: the driver's `neo4j.time.DateTime` hydration is pure Python and cost ~80 µs
each (3.8 ms of client CPU for a page of 12 rows, measured), more than the rest of the read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, LiteralString

from neo4j import AsyncDriver

from graph.cypher_runner import read_rows

# Ordered by start time then id; the page is a slice of the ordered list, so `total` counts
# every match. ONE record per volunteer, its page as a list of maps: the driver's per-record
# cost (a message, a dict, a few awaits) was most of the read's client CPU for 12 rows.
# Unknown volunteer ids give no record.
VOLUNTEER_ASSIGNMENT_PAGE_ROWS: LiteralString = """
UNWIND $volunteers AS key
MATCH (v:Volunteer {id: key})
CALL (v) {
  MATCH (v)-[:ASSIGNED]->(a:Assignment)-[:FOR]->(s:Shift)
  WHERE ($statuses IS NULL OR a.status IN $statuses)
    AND ($from IS NULL OR a.endsAt > $from)
    AND ($to IS NULL OR a.startsAt < $to)
    AND ($association IS NULL
         OR EXISTS { (s)<-[:HAS_SHIFT]-(:Event)<-[:ORGANIZES]-(:Association {id: $association}) }
         OR EXISTS { (a)-[:LENT_BY]->(:Association {id: $association}) })
  WITH a, s ORDER BY a.startsAt, a.id
  RETURN collect([a, s]) AS found
}
WITH v, size(found) AS total, found[$skip..$skip + $limit] AS page
CALL (v, page) {
  UNWIND range(0, size(page) - 1) AS i
  WITH i, page[i][0] AS a, page[i][1] AS s
  OPTIONAL MATCH (a)-[:AS]->(k:Skill)
  OPTIONAL MATCH (a)-[:LENT_BY]->(l:Association)
  WITH i, a {
    .id, .status, needIndex: coalesce(a.needIndex, 0),
    viaExchange: coalesce(a.viaExchange, false), cost: coalesce(a.cost, 0.0),
    termNames: coalesce(a.termNames, []), termValues: coalesce(a.termValues, []),
    startsAt: [a.startsAt.epochSeconds, a.startsAt.nanosecond],
    endsAt: [a.endsAt.epochSeconds, a.endsAt.nanosecond], .eventId,
    createdAt: [a.createdAt.epochSeconds, a.createdAt.nanosecond],
    updatedAt: [a.updatedAt.epochSeconds, a.updatedAt.nanosecond],
    history: coalesce(a.history, []), .hours, .runId,
    volunteerId: v.id, shiftId: s.id, skill: k.code, lender: l.id
  } AS row
  ORDER BY i
  RETURN collect(row) AS rows
}
RETURN v.id AS volunteerId, total, rows
"""

DATETIME_FIELDS = ("startsAt", "endsAt", "createdAt", "updatedAt")


def _datetime(pair: list[int | None]) -> datetime | None:
    seconds, nanos = pair
    if seconds is None:
        return None
    return datetime.fromtimestamp(seconds, UTC) + timedelta(microseconds=(nanos or 0) // 1000)


@dataclass(frozen=True, slots=True)
class AssignmentPage:
    """One volunteer's page: the assignment rows in order, and how many match in all."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0

    @property
    def ids(self) -> list[str]:
        return [row["id"] for row in self.rows]


async def volunteer_assignment_page_rows(
    driver: AsyncDriver,
    volunteers: list[str],
    *,
    statuses: list[str] | None,
    starts_from: datetime | None,
    until: datetime | None,
    association: str | None,
    skip: int,
    limit: int,
) -> dict[str, AssignmentPage]:
    """For each volunteer, one page of its assignments (by start time) with their rows, and
    their total; an unknown volunteer id is absent from the answer."""
    records = await read_rows(
        driver,
        VOLUNTEER_ASSIGNMENT_PAGE_ROWS,
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
    pages: dict[str, AssignmentPage] = {}
    for record in records:
        rows = record["rows"]
        for row in rows:
            for name in DATETIME_FIELDS:
                row[name] = _datetime(row[name])
        pages[record["volunteerId"]] = AssignmentPage(rows=rows, total=int(record["total"]))
    return pages
