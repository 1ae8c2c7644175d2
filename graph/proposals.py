"""Expiry of unanswered proposals: PROPOSED assignments older than the TTL become EXPIRED.

Each assignment is locked before its status is re-read, so a volunteer accepting at the same
moment is never overwritten (whichever transaction commits first wins; the other sees it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncDriver, AsyncManagedTransaction

from graph.cypher_runner import tx_rows
from graph.settings import get_settings

EXPIRE_BATCH = 500

EXPIRE_OLD_PROPOSALS: LiteralString = """
MATCH (x:Assignment {status: 'PROPOSED'})
WHERE x.createdAt < $cutoff
  AND ($shiftIds IS NULL OR EXISTS { MATCH (x)-[:FOR]->(fs:Shift) WHERE fs.id IN $shiftIds })
WITH x ORDER BY x.id LIMIT $limit
SET x.expiryCheckedAt = $now
WITH x WHERE x.status = 'PROPOSED'
MATCH (v:Volunteer)-[:ASSIGNED]->(x)-[:FOR]->(s:Shift)
SET x.status = 'EXPIRED', x.updatedAt = $now,
    x.history = coalesce(x.history, []) + ['EXPIRED|' + $nowIso + '|system:expiry']
WITH x, v, s
CALL {
  WITH x
  OPTIONAL MATCH (q:ExchangeRequest {status: 'PENDING'})-[:FOR]->(x)
  SET q.status = 'EXPIRED', q.decidedAt = $now
}
RETURN x.id AS assignment, v.id AS volunteer, s.id AS shift
ORDER BY shift, volunteer
"""


async def _expire_tx(
    tx: AsyncManagedTransaction,
    cutoff: datetime,
    now: datetime,
    limit: int,
    shift_ids: list[str] | None,
) -> list[dict[str, Any]]:
    return await tx_rows(
        tx,
        EXPIRE_OLD_PROPOSALS,
        {
            "cutoff": cutoff,
            "now": now,
            "nowIso": now.isoformat(),
            "limit": limit,
            "shiftIds": shift_ids,
        },
    )


async def expire_proposals(
    driver: AsyncDriver,
    *,
    cutoff: datetime,
    now: datetime,
    batch: int = EXPIRE_BATCH,
    shift_ids: list[str] | None = None,
) -> list[dict[str, Any]]:
    """Expire every PROPOSED assignment created before `cutoff` (only on `shift_ids` when
    given), in batches.

    Returns one row per expired assignment: {assignment, volunteer, shift}.
    """
    expired: list[dict[str, Any]] = []
    async with driver.session(database=get_settings().neo4j_database) as session:
        while True:
            rows = await session.execute_write(_expire_tx, cutoff, now, batch, shift_ids)
            expired.extend(rows)
            if len(rows) < batch:
                return expired
