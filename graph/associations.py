"""Association repository: associations by id (with active member counts), all ids, and the
sharing policy read and write.

Sharing policy: `lends`, `maxShare` (0..1 of active members lent at once), `requiresApproval`,
and either every member may borrow (`lendsToAll`, borrowers None) or only the associations with
a (:Association)-[:SHARES_WITH]->(borrower) edge.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import LiteralString

from neo4j import AsyncDriver, AsyncManagedTransaction

from graph.cypher_runner import read_rows
from graph.errors import NotFound
from graph.keyed_reads import Row, one_row_per_key
from graph.types import AssociationRecord, SharingPolicyRecord

ASSOCIATIONS_BY_IDS: LiteralString = """
UNWIND $ids AS key
MATCH (a:Association {id: key})
OPTIONAL MATCH (a)-[:SHARES_WITH]->(b:Association)
WITH a, collect(b.id) AS borrowers
RETURN a.id AS id, a.name AS name, a.nameAr AS nameAr, coalesce(a.lends, false) AS lends,
       coalesce(a.maxShare, 0.0) AS maxShare, coalesce(a.requiresApproval, true) AS requiresApproval,
       coalesce(a.lendsToAll, true) AS lendsToAll, coalesce(a.lentHours, 0.0) AS lentHours,
       coalesce(a.borrowedHours, 0.0) AS borrowedHours, borrowers,
       COUNT { (v:Volunteer)-[:MEMBER_OF]->(a) WHERE coalesce(v.active, true) } AS volunteerCount
"""

ASSOCIATION_IDS: LiteralString = "MATCH (a:Association) RETURN a.id AS id ORDER BY a.id"

LOCK_ASSOCIATION: LiteralString = """
MATCH (a:Association {id: $id})
SET a.policyVersion = coalesce(a.policyVersion, 0) + 1
RETURN a.id AS id
"""

EXISTING_BORROWERS: LiteralString = """
UNWIND $ids AS id
MATCH (b:Association {id: id})
RETURN collect(b.id) AS found
"""

WRITE_SHARING_POLICY: LiteralString = """
MATCH (a:Association {id: $id})
SET a.lends = $lends, a.maxShare = $maxShare, a.requiresApproval = $requiresApproval,
    a.lendsToAll = $lendsToAll
WITH a
CALL (a) {
  MATCH (a)-[s:SHARES_WITH]->(:Association)
  DELETE s
}
WITH a
UNWIND $borrowers AS bid
MATCH (b:Association {id: bid})
CREATE (a)-[:SHARES_WITH {maxShare: $maxShare, requiresApproval: $requiresApproval}]->(b)
"""


def _record(a: Row) -> AssociationRecord:
    policy = SharingPolicyRecord(
        lends=bool(a["lends"]),
        max_share=float(a["maxShare"]),
        requires_approval=bool(a["requiresApproval"]),
        borrowers=None if a["lendsToAll"] else tuple(sorted(a["borrowers"])),
    )
    return AssociationRecord(
        id=a["id"], name=a.get("name") or a["id"], name_ar=a.get("nameAr"), policy=policy,
        lent_hours=float(a["lentHours"]), borrowed_hours=float(a["borrowedHours"]),
    )


async def get_associations(driver: AsyncDriver, ids: Sequence[str]) -> list[Row | None]:
    """Each association's row (sharing policy, hours ledger, `volunteerCount` of active
    members, `borrowers` ids), None where there is none."""
    return await one_row_per_key(driver, ASSOCIATIONS_BY_IDS, ids)


async def association_ids(driver: AsyncDriver) -> list[str]:
    """Every association's id, in id order."""
    return [r["id"] for r in await read_rows(driver, ASSOCIATION_IDS)]


async def _get_record(driver: AsyncDriver, association_id: str) -> AssociationRecord:
    [row] = await get_associations(driver, [association_id])
    if row is None:
        raise NotFound("Association", association_id)
    return _record(row)


def validate_policy(association_id: str, policy: SharingPolicyRecord) -> None:
    """ValueError naming the field when the policy is not coherent."""
    if not 0.0 <= policy.max_share <= 1.0:
        raise ValueError("maxShare must be between 0 and 1")
    if policy.borrowers is not None and association_id in policy.borrowers:
        raise ValueError("borrowers must not include the association itself")


async def _write_policy(
    tx: AsyncManagedTransaction, association_id: str, policy: SharingPolicyRecord
) -> None:
    locked = await (await tx.run(LOCK_ASSOCIATION, id=association_id)).single()
    if locked is None:
        raise NotFound("Association", association_id)
    borrowers = sorted(set(policy.borrowers or ()))
    if borrowers:
        found = await (await tx.run(EXISTING_BORROWERS, ids=borrowers)).single(strict=True)
        missing = sorted(set(borrowers) - set(found["found"]))
        if missing:
            raise NotFound("Association", missing[0])
    await (await tx.run(
        WRITE_SHARING_POLICY, id=association_id, lends=policy.lends,
        maxShare=policy.max_share, requiresApproval=policy.requires_approval,
        lendsToAll=policy.borrowers is None, borrowers=borrowers,
    )).consume()


async def set_sharing_policy(
    driver: AsyncDriver, association_id: str, policy: SharingPolicyRecord
) -> AssociationRecord:
    """Replace the association's sharing policy in one transaction; return the new state."""
    validate_policy(association_id, policy)
    async with driver.session() as session:
        await session.execute_write(_write_policy, association_id, policy)
    return await _get_record(driver, association_id)  # NotFound if deleted concurrently
