"""The volunteer-assignments read: for each volunteer, one page of its assignments WITH their
rows, and the total, in ONE statement.

`me { assignments(first: 20) { ... } }` used to cost two statements (the page of ids, then the
rows by id); this returns the rows in the same projection as `ASSIGNMENTS_BY_IDS`, so the API
can prime its assignments loader with them and skip the second round trip.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncDriver

from graph.batch_lookups import ASSIGNMENT_FIELDS
from graph.cypher_runner import read_rows

# Ordered by start time then id; the page is a slice of the ordered list, so `total` counts
# every match. A volunteer whose page is empty (or who has none) still gets one row with
# a null id and its total; a volunteer with no assignment at all gets no row.
VOLUNTEER_ASSIGNMENT_PAGE_ROWS: LiteralString = (
    """
UNWIND $volunteers AS key
MATCH (v:Volunteer {id: key})-[:ASSIGNED]->(a:Assignment)-[:FOR]->(s:Shift)
WHERE ($statuses IS NULL OR a.status IN $statuses)
  AND ($from IS NULL OR a.endsAt > $from)
  AND ($to IS NULL OR a.startsAt < $to)
  AND ($association IS NULL
       OR EXISTS { (s)<-[:HAS_SHIFT]-(:Event)<-[:ORGANIZES]-(:Association {id: $association}) }
       OR EXISTS { (a)-[:LENT_BY]->(:Association {id: $association}) })
WITH v, a, s ORDER BY a.startsAt, a.id
WITH v, collect([a, s]) AS found
WITH v, size(found) AS total, found[$skip..$skip + $limit] AS page
UNWIND (CASE WHEN size(page) = 0 THEN [-1] ELSE range(0, size(page) - 1) END) AS i
WITH v, total, i, page[i][0] AS a, page[i][1] AS s
OPTIONAL MATCH (a)-[:AS]->(k:Skill)
OPTIONAL MATCH (a)-[:LENT_BY]->(l:Association)
"""
    + ASSIGNMENT_FIELDS
    + """, total AS pageTotal, i AS pageIndex
ORDER BY volunteerId, pageIndex
"""
)


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
    their total; a volunteer without any is absent from the answer (read it as empty)."""
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
        total = int(record.pop("pageTotal"))
        del record["pageIndex"]
        page = pages.setdefault(record["volunteerId"], AssignmentPage(rows=[], total=total))
        if record["id"] is not None:
            page.rows.append(record)
    return pages
