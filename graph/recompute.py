"""Nightly recomputation from the assignment history: reliability, hours this month, ledger.

Everything is derived from Assignment nodes, so running it twice gives the same values.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncDriver, AsyncManagedTransaction

from graph.cypher_runner import read_rows, tx_rows
from graph.settings import get_settings

WRITE_BATCH = 5000
# Bayesian prior: a newcomer counts as PRIOR_WEIGHT shifts at PRIOR_RELIABILITY, so one
# no-show does not brand someone unreliable and one completion does not make them perfect.
PRIOR_RELIABILITY = 0.9
PRIOR_WEIGHT = 5.0

ATTENDANCE: LiteralString = """
MATCH (v:Volunteer)-[:ASSIGNED]->(x:Assignment)
WHERE x.status IN ['COMPLETED', 'NO_SHOW'] AND ($ids IS NULL OR v.id IN $ids)
WITH v,
     sum(CASE WHEN x.status = 'COMPLETED' THEN 1 ELSE 0 END) AS completed,
     sum(CASE WHEN x.status = 'NO_SHOW' THEN 1 ELSE 0 END) AS noShows,
     sum(CASE WHEN x.status = 'COMPLETED' AND x.startsAt >= $monthStart AND x.startsAt < $monthEnd
              THEN coalesce(x.hours, duration.inSeconds(x.startsAt, x.endsAt).seconds / 3600.0)
              ELSE 0.0 END) AS hours
RETURN v.id AS id, completed, noShows, hours
"""

WRITE_ATTENDANCE: LiteralString = """
UNWIND $rows AS row
MATCH (v:Volunteer {id: row.id})
SET v.reliability = row.reliability, v.hoursThisMonth = row.hours
"""

LEDGER: LiteralString = """
MATCH (a:Association) WHERE $ids IS NULL OR a.id IN $ids
// ascending id: the global lock order (graph/assignments.py), as CREDIT_HOURS takes them
WITH a ORDER BY a.id
CALL {
  WITH a
  OPTIONAL MATCH (a)<-[:LENT_BY]-(x:Assignment {status: 'COMPLETED'})
  RETURN coalesce(sum(coalesce(x.hours, duration.inSeconds(x.startsAt, x.endsAt).seconds / 3600.0)), 0.0)
         AS lent
}
CALL {
  WITH a
  OPTIONAL MATCH (a)-[:ORGANIZES]->(:Event)-[:HAS_SHIFT]->(:Shift)<-[:FOR]-(x:Assignment {status: 'COMPLETED'})
  WHERE x.viaExchange
  RETURN coalesce(sum(coalesce(x.hours, duration.inSeconds(x.startsAt, x.endsAt).seconds / 3600.0)), 0.0)
         AS borrowed
}
SET a.lentHours = lent, a.borrowedHours = borrowed
RETURN a.id AS id, lent, borrowed
"""


def reliability(completed: int, no_shows: int) -> float:
    """Share of shows, smoothed towards PRIOR_RELIABILITY for short histories."""
    score = (completed + PRIOR_RELIABILITY * PRIOR_WEIGHT) / (completed + no_shows + PRIOR_WEIGHT)
    return round(min(1.0, max(0.0, score)), 4)


async def _write(
    tx: AsyncManagedTransaction, query: LiteralString, params: dict[str, Any]
) -> list[dict[str, Any]]:
    return await tx_rows(tx, query, params)


async def recompute_attendance(
    driver: AsyncDriver,
    *,
    month_start: datetime,
    month_end: datetime,
    volunteer_ids: list[str] | None = None,
) -> int:
    """Reliability and hoursThisMonth of every volunteer with attendance history
    (or only of `volunteer_ids`)."""
    rows = await read_rows(
        driver,
        ATTENDANCE,
        {"monthStart": month_start, "monthEnd": month_end, "ids": volunteer_ids},
    )
    updates = [
        {
            "id": r["id"],
            "reliability": reliability(int(r["completed"]), int(r["noShows"])),
            "hours": round(float(r["hours"]), 2),
        }
        for r in rows
    ]
    async with driver.session(database=get_settings().neo4j_database) as session:
        for i in range(0, len(updates), WRITE_BATCH):
            await session.execute_write(
                _write, WRITE_ATTENDANCE, {"rows": updates[i : i + WRITE_BATCH]}
            )
    return len(updates)


async def recompute_ledger(
    driver: AsyncDriver, association_ids: list[str] | None = None
) -> dict[str, tuple[float, float]]:
    """lentHours / borrowedHours of every association (or of `association_ids`) from completed
    exchange assignments."""
    async with driver.session(database=get_settings().neo4j_database) as session:
        rows = await session.execute_write(_write, LEDGER, {"ids": association_ids})
    return {r["id"]: (float(r["lent"]), float(r["borrowed"])) for r in rows}
