"""Expiry of unanswered proposals: PROPOSED assignments older than the TTL become EXPIRED.

The TTL runs from the proposal's creation, or from the lender's approval of its loan
(`proposedAt`): the volunteer always gets the whole TTL to answer.

Each assignment is locked before its status is re-read (in a second statement), so a volunteer
accepting or a lender deciding at the same moment is never overwritten (whichever transaction
commits first wins; the other sees it). Lock order as in graph/assignments.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncDriver, AsyncManagedTransaction

from graph.cypher_runner import tx_rows
from graph.settings import get_settings

EXPIRE_BATCH = 500

# Lock order (graph/assignments.py): the batch's assignments in ascending id, then their pending
# exchange requests; volunteers and shifts are not needed (an expiry never activates a booking).
# Two statements: within one statement the plan filters on the status the index seek cached
# before the lock (EXPLAIN: `Filter cache[x.status]` after `SetProperty x.expiryCheckedAt`), so
# only a new statement re-reads what an acceptance or a decline committed meanwhile. A request's
# status is only ever written under its assignment's lock (here and in graph/exchange.py), so the
# PENDING requests matched after the assignments are locked are still pending. The second also
# re-reads the age: a lender's approval committed meanwhile restarts it (proposedAt).
LOCK_OLD_PROPOSALS: LiteralString = """
MATCH (x:Assignment {status: 'PROPOSED'})
WHERE coalesce(x.proposedAt, x.createdAt) < $cutoff
  AND ($shiftIds IS NULL OR EXISTS { MATCH (x)-[:FOR]->(fs:Shift) WHERE fs.id IN $shiftIds })
WITH x ORDER BY x.id LIMIT $limit
SET x.expiryCheckedAt = $now
RETURN x.id AS id
"""

EXPIRE_LOCKED: LiteralString = """
UNWIND $ids AS id
MATCH (x:Assignment {id: id})
WHERE x.status = 'PROPOSED' AND coalesce(x.proposedAt, x.createdAt) < $cutoff
MATCH (v:Volunteer)-[:ASSIGNED]->(x)-[:FOR]->(s:Shift)
SET x.status = 'EXPIRED', x.updatedAt = $now,
    x.history = coalesce(x.history, []) + ['EXPIRED|' + $nowIso + '|system:expiry']
WITH x, v, s ORDER BY x.id
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
) -> tuple[int, list[dict[str, Any]]]:
    locked = await tx_rows(
        tx,
        LOCK_OLD_PROPOSALS,
        {"cutoff": cutoff, "now": now, "limit": limit, "shiftIds": shift_ids},
    )
    if not locked:
        return 0, []
    rows = await tx_rows(
        tx,
        EXPIRE_LOCKED,
        {"ids": [r["id"] for r in locked], "now": now, "nowIso": now.isoformat(), "cutoff": cutoff},
    )
    return len(locked), rows


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
            locked, rows = await session.execute_write(_expire_tx, cutoff, now, batch, shift_ids)
            expired.extend(rows)
            if locked < batch or not rows:
                return expired
