"""Derived, queryable Volunteer properties and their backfill (run by `tahaluf migrate`).

- `governorate`: the code of the Governorate the volunteer LIVES_IN (denormalised, so a
  report can group volunteers by a property instead of walking each one's relationships).
  A person's home governorate is set once, when the node is created; a second LIVES_IN is
  never added by any writer. Should an old graph hold several, the smallest code is kept.
- `availSpans`: the weekly `availability` windows as merged minutes-of-week intervals
  (graph.availability_spans.availability_spans);
- `availWeekdays` (the weekdays of those spans) was a third one, for an index of the
  skill-gap report; the report reads the supply cells now (graph.supply_cells, built from
  `governorate` and `availSpans`), so the backfill removes it where an older graph has it.

Every writer keeps them in step (seed, registerVolunteer, updateAvailability, CSV import).
`backfill_volunteer_derived` brings an existing graph up to date without shipping volunteers
to Python: it reads the DISTINCT availability texts (a handful of habits repeat across
250K people), derives their spans here (the function the writers use), then one
server-side statement walks the volunteers and writes, IN TRANSACTIONS OF BATCH rows, only
those whose derived values differ — a second run writes nothing. A text that appeared after
the read (a concurrent update) is not in the map; that row is left to its writer, which sets
the derived properties itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import LiteralString

from neo4j import AsyncDriver

from graph.availability_spans import availability_spans
from graph.settings import get_settings

BATCH = 10_000

DISTINCT_AVAILABILITY: LiteralString = """
MATCH (v:Volunteer)
RETURN DISTINCT coalesce(v.availability, '') AS text
"""

# $derived: availability text -> {spans}. Null-safe comparisons so a missing
# property counts as different; the home governorate is the smallest LIVES_IN code (normally
# the only one).
WRITE_VOLUNTEER_DERIVED: LiteralString = """
MATCH (v:Volunteer)
CALL (v) {
  WITH v, $derived[coalesce(v.availability, '')] AS d,
       COLLECT { MATCH (v)-[:LIVES_IN]->(g:Governorate) RETURN g.code ORDER BY g.code LIMIT 1 }
         AS homes
  WITH v, d, head(homes) AS governorate
  WHERE d IS NOT NULL
    AND (v.availSpans IS NULL OR v.availSpans <> d.spans
         OR v.availWeekdays IS NOT NULL
         OR coalesce(v.governorate, '') <> coalesce(governorate, ''))
  SET v.availSpans = d.spans, v.governorate = governorate
  REMOVE v.availWeekdays
  RETURN count(*) AS written
} IN TRANSACTIONS OF $batch ROWS
RETURN count(v) AS volunteers, sum(written) AS written
"""


def derived_availability(availability_json: str | None) -> dict[str, list[int]]:
    """{"spans": availSpans} of an `availability` JSON text: what every writer stores beside
    the text."""
    spans = availability_spans(availability_json)
    return {"spans": spans}


@dataclass(frozen=True, slots=True)
class BackfillReport:
    volunteers: int
    written: int


async def backfill_volunteer_derived(driver: AsyncDriver, *, batch: int = BATCH) -> BackfillReport:
    """Set `governorate` and `availSpans` where missing or stale (and drop a left-over
    `availWeekdays`); idempotent."""
    async with driver.session(database=get_settings().neo4j_database) as session:
        result = await session.run(DISTINCT_AVAILABILITY)
        texts = [record["text"] async for record in result]
        derived = {text: derived_availability(text) for text in texts}
        # CALL IN TRANSACTIONS commits batch by batch: an auto-commit statement, not a tx fn
        result = await session.run(WRITE_VOLUNTEER_DERIVED, derived=derived, batch=batch)
        record = await result.single(strict=True)
    return BackfillReport(volunteers=int(record["volunteers"]), written=int(record["written"] or 0))
