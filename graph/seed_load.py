"""Write the synthetic alliance into Neo4j in UNWIND batches (one transaction per batch).

Two ways to write volunteers, same result:
- CREATE when the run's id namespace holds no volunteer yet (fresh load: no lookups, fast);
- MERGE on ids otherwise (a re-run, or a load interrupted midway): nothing is duplicated.
Relationships point at reference nodes by position in lists matched once per batch.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, LiteralString

from neo4j import AsyncDriver, AsyncManagedTransaction

from graph.seed_people import Lookups, availability_patterns
from graph.supply_cells import MAX_LEVEL
from graph.supply_entries import CellTally, volunteer_entries
from graph.volunteer_derived import derived_availability

# Rows travel as positional lists (see `compact_row`): 18 map keys per volunteer decoded by the
# server cost ~25% of its CPU per batch.
PROP_KEYS: tuple[str, ...] = (
    "id", "name", "nameNorm", "gender", "birthYear", "birthGovernorate", "nationalIdHash",
    "phone", "active", "reliability", "hoursThisMonth", "maxTravelKm", "maxHoursWeek",
    "lat", "lon",
)

_REFERENCE_NODES: LiteralString = """
CALL () {
  UNWIND range(0, size($govCodes) - 1) AS i
  MATCH (g:Governorate {code: $govCodes[i]})
  WITH i, g ORDER BY i
  RETURN collect(g) AS govs
}
CALL () {
  UNWIND range(0, size($skillCodes) - 1) AS i
  MATCH (s:Skill {code: $skillCodes[i]})
  WITH i, s ORDER BY i
  RETURN collect(s) AS skills
}
CALL () {
  UNWIND range(0, size($assocIds) - 1) AS i
  MATCH (a:Association {id: $assocIds[i]})
  WITH i, a ORDER BY i
  RETURN collect(a) AS assocs
}
"""

CREATE_VOLUNTEERS: LiteralString = _REFERENCE_NODES + """
UNWIND $rows AS r
CREATE (v:Volunteer {id: r[0], name: r[1], nameNorm: r[2], gender: r[3], birthYear: r[4],
  birthGovernorate: r[5], nationalIdHash: r[6], phone: r[7], active: r[8], reliability: r[9],
  hoursThisMonth: r[10], maxTravelKm: r[11], maxHoursWeek: r[12], lat: r[13], lon: r[14],
  availability: $patterns[r[15]], availSpans: $patternSpans[r[15]],
  governorate: $govCodes[r[16]], supplyEntries: r[19],
  blackouts: '[]', bookingVersion: 0})
WITH v, r, govs[r[16]] AS g, skills, assocs
CREATE (v)-[:LIVES_IN]->(g)
WITH v, r, skills, assocs
CALL (v, r, skills) {
  UNWIND r[17] AS x
  WITH v, x, skills[x[0]] AS s
  CREATE (v)-[:HAS_SKILL {level: x[1], certifiedBy: x[2],
    expiresAt: CASE WHEN x[3] IS NULL THEN null ELSE datetime({epochSeconds: x[3]}) END}]->(s)
}
CALL (v, r, assocs) {
  UNWIND r[18] AS x
  WITH v, x, assocs[x[0]] AS a
  CREATE (v)-[:MEMBER_OF {since: datetime({epochSeconds: x[1]}), primary: x[2]}]->(a)
}
"""

MERGE_VOLUNTEERS: LiteralString = _REFERENCE_NODES + """
UNWIND $rows AS r
MERGE (v:Volunteer {id: r[0]})
ON CREATE SET v += {name: r[1], nameNorm: r[2], gender: r[3], birthYear: r[4],
  birthGovernorate: r[5], nationalIdHash: r[6], phone: r[7], active: r[8], reliability: r[9],
  hoursThisMonth: r[10], maxTravelKm: r[11], maxHoursWeek: r[12], lat: r[13], lon: r[14],
  availability: $patterns[r[15]], availSpans: $patternSpans[r[15]],
  governorate: $govCodes[r[16]],
  blackouts: '[]', bookingVersion: 0}
WITH v, r, govs[r[16]] AS g, skills, assocs
MERGE (v)-[:LIVES_IN]->(g)
WITH v, r, skills, assocs
CALL (v, r, skills) {
  UNWIND r[17] AS x
  WITH v, x, skills[x[0]] AS s
  MERGE (v)-[h:HAS_SKILL]->(s)
  ON CREATE SET h.level = x[1], h.certifiedBy = x[2],
    h.expiresAt = CASE WHEN x[3] IS NULL THEN null ELSE datetime({epochSeconds: x[3]}) END
}
CALL (v, r, assocs) {
  UNWIND r[18] AS x
  WITH v, x, assocs[x[0]] AS a
  MERGE (v)-[m:MEMBER_OF]->(a)
  ON CREATE SET m.since = datetime({epochSeconds: x[1]}), m.primary = x[2]
}
"""


def compact_row(row: dict[str, Any]) -> list[Any]:
    """A generator row as the positional list the write queries index into."""
    p = row["p"]
    out: list[Any] = [p[k] for k in PROP_KEYS]
    out.append(row["a"])
    out.append(row["g"])
    out.append([[s["i"], s["l"], s["c"], s["e"]] for s in row["sk"]])
    out.append([[m["i"], m["s"], m["p"]] for m in row["m"]])
    return out


@dataclass(slots=True)
class SeedSupply:
    """The bulk seed's skill-gap supply: each compact row's entries (appended as r[19], which
    CREATE_VOLUNTEERS stores as `supplyEntries`; without it the property is left unset and
    the Cypher refresh fills it) and the cells they add up to."""

    implied: dict[str, list[str]]
    gov_codes: list[str]
    skill_codes: list[str]
    pattern_spans: list[list[int]]
    tally: CellTally = field(default_factory=CellTally)

    @classmethod
    def for_lookups(cls, look: Lookups, implied: dict[str, list[str]]) -> SeedSupply:
        lists = _lists(look)
        return cls(implied, lists["govCodes"], lists["skillCodes"], lists["patternSpans"])

    def entries(self, row: list[Any]) -> list[str]:
        return volunteer_entries(
            governorate=self.gov_codes[row[16]],
            active=row[8] is True,
            spans=self.pattern_spans[row[15]],
            holdings=[
                (self.skill_codes[x[0]], x[1], None if x[3] is None else x[3] * 1000)
                for x in row[17]
            ],
            implied=self.implied,
            max_level=MAX_LEVEL,
        )

    def add(self, row: list[Any]) -> list[Any]:
        entries = self.entries(row)
        self.tally.add(entries)
        row.append(entries)
        return row


COUNT_VOLUNTEERS_WITH_PREFIX: LiteralString = """
MATCH (v:Volunteer) WHERE v.id STARTS WITH $prefix
RETURN count(v) AS volunteers
"""

COUNT_ANY_VOLUNTEER: LiteralString = "MATCH (v:Volunteer) RETURN count(v) > 0 AS any"


@dataclass(slots=True)
class LoadStats:
    volunteers: int = 0
    relationships: int = 0
    seconds: float = 0.0
    mode: str = "create"


def _lists(look: Lookups) -> dict[str, Any]:
    derived = [derived_availability(p) for p in availability_patterns()]
    return {
        "govCodes": list(look.governorates),
        "skillCodes": list(look.skills),
        "assocIds": list(look.associations),
        "patterns": availability_patterns(),
        # derived properties (graph.volunteer_derived), computed once per pattern
        "patternSpans": [d["spans"] for d in derived],
    }


async def _write_batch(
    tx: AsyncManagedTransaction,
    query: LiteralString,
    rows: Sequence[list[Any]],
    lists: dict[str, Any],
) -> int:
    result = await tx.run(query, rows=rows, **lists)
    summary = await result.consume()
    return summary.counters.relationships_created


async def volunteers_with_prefix(driver: AsyncDriver, prefix: str) -> int:
    records, _, _ = await driver.execute_query(COUNT_VOLUNTEERS_WITH_PREFIX, prefix=prefix)
    return int(records[0]["volunteers"])


async def any_volunteer(driver: AsyncDriver) -> bool:
    records, _, _ = await driver.execute_query(COUNT_ANY_VOLUNTEER)
    return bool(records[0]["any"])


class Progress:
    """A plain one-line progress report on stderr (rewritten in place on a terminal)."""

    def __init__(self, total: int, label: str, stream: Any = None) -> None:
        self.total = total
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.start = time.perf_counter()
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._last_line = -1.0

    def update(self, done: int) -> None:
        elapsed = time.perf_counter() - self.start
        rate = done / elapsed if elapsed > 0 else 0.0
        line = (
            f"{self.label}: {done:,}/{self.total:,} ({100 * done / max(self.total, 1):.0f}%)"
            f" {elapsed:.1f}s {rate:,.0f}/s"
        )
        if self.tty:
            self.stream.write("\r" + line)
            if done >= self.total:
                self.stream.write("\n")
        elif done >= self.total or elapsed - self._last_line >= 5.0:
            self.stream.write(line + "\n")
            self._last_line = elapsed
        self.stream.flush()


async def load_volunteers(
    driver: AsyncDriver,
    blocks: Iterable[Sequence[dict[str, Any]]],
    look: Lookups,
    *,
    total: int,
    fresh: bool,
    batch_size: int = 10_000,
    writers: int = 2,
    on_progress: Callable[[int], None] | None = None,
    supply: SeedSupply | None = None,
) -> LoadStats:
    """Write volunteers with LIVES_IN, HAS_SKILL, MEMBER_OF; one transaction per batch.

    `fresh=True` uses CREATE (the caller guarantees none of these ids exist yet). `blocks`
    is consumed in a worker thread so generation overlaps the database's work, and `writers`
    transactions run at once (batches touch disjoint volunteers; deadlocks on shared reference
    nodes are transient errors that `execute_write` retries). With `supply` (a fresh load),
    each volunteer's skill-gap entries are computed with its row and counted into cells.
    """
    query = CREATE_VOLUNTEERS if fresh else MERGE_VOLUNTEERS
    stats = LoadStats(mode="create" if fresh else "merge")
    lists = _lists(look)
    start = time.perf_counter()
    queue: asyncio.Queue[Sequence[list[Any]] | None] = asyncio.Queue(maxsize=writers + 1)
    iterator = iter(blocks)

    def next_block() -> list[list[Any]] | None:
        block = next(iterator, None)
        if block is None:
            return None
        rows = [compact_row(r) for r in block]
        return rows if supply is None else [supply.add(row) for row in rows]

    async def produce() -> None:
        try:
            while True:
                block = await asyncio.to_thread(next_block)
                if block is None:
                    break
                for i in range(0, len(block), batch_size):
                    await queue.put(block[i:i + batch_size])
        finally:
            for _ in range(writers):
                await queue.put(None)

    async def write() -> None:
        async with driver.session() as session:
            while (rows := await queue.get()) is not None:
                created = await session.execute_write(_write_batch, query, rows, lists)
                stats.relationships += created
                stats.volunteers += len(rows)
                if on_progress is not None:
                    on_progress(stats.volunteers)

    producer = asyncio.create_task(produce())
    try:
        await asyncio.gather(producer, *(write() for _ in range(writers)))
    finally:
        producer.cancel()
    stats.seconds = time.perf_counter() - start
    return stats
