"""Setting an association's sharing policy (lends, maxShare, approval, explicit borrowers)."""

from __future__ import annotations

from typing import LiteralString

from neo4j import AsyncDriver

from graph.cypher_runner import interactive_session, tx_rows

SET_SHARING_POLICY: LiteralString = """
MATCH (a:Association {id: $id})
SET a.lends = $lends, a.maxShare = $maxShare, a.requiresApproval = $requiresApproval,
    a.lendsToAll = $lendsToAll
WITH a
CALL (a) {
  OPTIONAL MATCH (a)-[old:SHARES_WITH]->(b:Association)
  WHERE $lendsToAll OR NOT b.id IN $borrowers
  DELETE old
}
CALL (a) {
  UNWIND (CASE WHEN $lendsToAll THEN [] ELSE $borrowers END) AS bid
  MATCH (b:Association {id: bid})
  MERGE (a)-[r:SHARES_WITH]->(b)
  SET r.maxShare = $maxShare, r.requiresApproval = $requiresApproval
}
RETURN a.id AS id
"""


async def set_sharing_policy(
    driver: AsyncDriver,
    association_id: str,
    *,
    lends: bool,
    max_share: float,
    requires_approval: bool,
    borrowers: list[str] | None,
) -> bool:
    params = {
        "id": association_id,
        "lends": lends,
        "maxShare": max_share,
        "requiresApproval": requires_approval,
        "lendsToAll": borrowers is None,
        "borrowers": borrowers or [],
    }
    async with interactive_session(driver) as session:
        rows = await session.execute_write(tx_rows, SET_SHARING_POLICY, params)
    return bool(rows)
