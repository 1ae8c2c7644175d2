"""The volunteer-assignments read: for each volunteer, one page of its assignments WITH their
rows, and the total, in ONE statement.

`me { assignments(first: 20) { ... } }` used to cost three statements (the volunteer, the page
of ids, the rows by id); `volunteer_with_assignment_page` reads all of it in one. The rows have
the same keys and values as `ASSIGNMENTS_BY_IDS` (and the volunteer row those of
`VOLUNTEERS_BY_IDS`), so the API primes its loaders with them and reads nothing more.

Its four DateTimes per row travel as [epochSeconds, nanosecond] pairs and become aware UTC
`datetime`s here: the driver's `neo4j.time.DateTime` hydration is pure Python and cost ~80 µs
each (3.8 ms of client CPU for a page of 12 rows, measured), more than the rest of the read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, LiteralString

from neo4j import AsyncDriver

from graph.cypher_runner import read_plain_rows
from graph.volunteers import VOLUNTEER_ROW  # the one volunteer projection

# Ordered by start time then id; the page is a slice of the ordered list, so `total` counts
# every match. ONE record per volunteer, its page as a list of maps: the driver's per-record
# cost (a message, a dict, a few awaits) was most of the read's client CPU for 12 rows.
# Needs `v` bound; yields `total` and `rows`. The rows with DETAILS carry the cost breakdown
# (termNames/termValues) and the history; without, they carry every other key of the row:
# those three lists were ~15% of Neo4j's CPU for the statement and ~10% of the driver's
# (bench: 32 concurrent readers, 0.55-0.60 against 0.63-0.72 ms of Neo4j CPU a statement).
_PAGE_OF_V_HEAD: LiteralString = """
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
"""
_DETAILS: LiteralString = """
    termNames: coalesce(a.termNames, []), termValues: coalesce(a.termValues, []),
    history: coalesce(a.history, []),
"""
_PAGE_OF_V_TAIL: LiteralString = """
    startsAt: [a.startsAt.epochSeconds, a.startsAt.nanosecond],
    endsAt: [a.endsAt.epochSeconds, a.endsAt.nanosecond], .eventId,
    createdAt: [a.createdAt.epochSeconds, a.createdAt.nanosecond],
    updatedAt: [a.updatedAt.epochSeconds, a.updatedAt.nanosecond],
    .hours, .runId,
    volunteerId: v.id, shiftId: s.id, skill: k.code, lender: l.id
  } AS row
  ORDER BY i
  RETURN collect(row) AS rows
}
"""
_PAGE_OF_V: LiteralString = _PAGE_OF_V_HEAD + _DETAILS + _PAGE_OF_V_TAIL
_PAGE_OF_V_PLAIN: LiteralString = _PAGE_OF_V_HEAD + _PAGE_OF_V_TAIL
DETAIL_KEYS = ("termNames", "termValues", "history")

_VOLUNTEERS: LiteralString = """
UNWIND $volunteers AS key
MATCH (v:Volunteer {id: key})
"""

# Unknown volunteer ids give no record.
VOLUNTEER_ASSIGNMENT_PAGE_ROWS: LiteralString = (
    _VOLUNTEERS + _PAGE_OF_V + "RETURN v.id AS volunteerId, total, rows\n"
)
VOLUNTEER_ASSIGNMENT_PAGE_PLAIN_ROWS: LiteralString = (
    _VOLUNTEERS + _PAGE_OF_V_PLAIN + "RETURN v.id AS volunteerId, total, rows\n"
)

# `me { assignments }` in ONE statement: the volunteer's row (the same projection as
# VOLUNTEERS_BY_IDS, so the volunteers loader can be primed with it) and its page.
VOLUNTEER_WITH_ASSIGNMENT_PAGE: LiteralString = (
    _VOLUNTEERS + _PAGE_OF_V + VOLUNTEER_ROW + ", total AS pageTotal, rows AS pageRows\n"
)
VOLUNTEER_WITH_ASSIGNMENT_PLAIN_PAGE: LiteralString = (
    _VOLUNTEERS + _PAGE_OF_V_PLAIN + VOLUNTEER_ROW + ", total AS pageTotal, rows AS pageRows\n"
)

DATETIME_FIELDS = ("startsAt", "endsAt", "createdAt", "updatedAt")


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _datetime(pair: list[int | None]) -> datetime | None:
    seconds, nanos = pair
    if seconds is None:
        return None
    # one timedelta and one addition (~0.34 µs) instead of fromtimestamp plus an addition
    return _EPOCH + timedelta(0, seconds, (nanos or 0) // 1000)


@dataclass(frozen=True, slots=True)
class AssignmentPage:
    """One volunteer's page: the assignment rows in order, and how many match in all."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0

    @property
    def ids(self) -> list[str]:
        return [row["id"] for row in self.rows]


@dataclass(frozen=True, slots=True)
class PageFilter:
    """Which of a volunteer's assignments, and which slice of them."""

    statuses: tuple[str, ...] | None = None
    starts_from: datetime | None = None
    until: datetime | None = None
    association: str | None = None
    skip: int = 0
    limit: int = 20
    # rows with the cost breakdown and the history (DETAIL_KEYS); without, rows lack them
    details: bool = True

    def params(self) -> dict[str, Any]:
        return {
            "statuses": list(self.statuses) if self.statuses is not None else None,
            "from": self.starts_from,
            "to": self.until,
            "association": self.association,
            "skip": self.skip,
            "limit": self.limit,
        }


def _page(total: Any, rows: list[dict[str, Any]]) -> AssignmentPage:
    for row in rows:
        for name in DATETIME_FIELDS:
            row[name] = _datetime(row[name])
    return AssignmentPage(rows=rows, total=int(total))


async def volunteer_assignment_page_rows(
    driver: AsyncDriver, volunteers: list[str], page: PageFilter
) -> dict[str, AssignmentPage]:
    """For each volunteer, one page of its assignments (by start time) with their rows, and
    their total; an unknown volunteer id is absent from the answer."""
    query = VOLUNTEER_ASSIGNMENT_PAGE_ROWS if page.details else VOLUNTEER_ASSIGNMENT_PAGE_PLAIN_ROWS
    records = await read_plain_rows(driver, query, {"volunteers": volunteers, **page.params()})
    return {r["volunteerId"]: _page(r["total"], r["rows"]) for r in records}


async def volunteer_with_assignment_page(
    driver: AsyncDriver, volunteer: str, page: PageFilter
) -> tuple[dict[str, Any], AssignmentPage] | None:
    """The volunteer's row (as `get_volunteers` reads it) and one page of its assignments,
    in one statement; None for an unknown id."""
    query = VOLUNTEER_WITH_ASSIGNMENT_PAGE if page.details else VOLUNTEER_WITH_ASSIGNMENT_PLAIN_PAGE
    records = await read_plain_rows(driver, query, {"volunteers": [volunteer], **page.params()})
    if not records:
        return None
    row = records[0]
    page_rows, total = row.pop("pageRows"), row.pop("pageTotal")
    return row, _page(total, page_rows)
