"""Association repository: get, list, member counts, sharing policy read and write.

Sharing policy: `lends`, `maxShare` (0..1 of active members lent at once), `requiresApproval`,
and either every member may borrow (`lendsToAll`, borrowers None) or only the associations with
a (:Association)-[:SHARES_WITH]->(borrower) edge.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, LiteralString

from neo4j import AsyncDriver, AsyncManagedTransaction

from graph.errors import NotFound
from graph.types import AssociationRecord, SharingPolicyRecord

_PROJECTION: LiteralString = """
a {.id, .name, .nameAr, .lends, .maxShare, .requiresApproval, .lendsToAll, .lentHours,
   .borrowedHours, borrowers: [(a)-[:SHARES_WITH]->(b:Association) | b.id]} AS a
"""

ASSOCIATIONS_BY_IDS: LiteralString = """
UNWIND $ids AS id
MATCH (a:Association {id: id})
RETURN """ + _PROJECTION

ALL_ASSOCIATIONS: LiteralString = """
MATCH (a:Association)
WITH a ORDER BY a.id
RETURN """ + _PROJECTION

MEMBER_COUNTS: LiteralString = """
UNWIND $ids AS id
OPTIONAL MATCH (a:Association {id: id})
RETURN id, CASE WHEN a IS NULL THEN 0
  ELSE COUNT { (v:Volunteer)-[:MEMBER_OF]->(a) WHERE coalesce(v.active, true) } END AS members
"""

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


def _record(a: dict[str, Any]) -> AssociationRecord:
    lends_to_all = bool(a.get("lendsToAll", True))
    policy = SharingPolicyRecord(
        lends=bool(a.get("lends", False)),
        max_share=float(a.get("maxShare") or 0.0),
        requires_approval=bool(a.get("requiresApproval", True)),
        borrowers=None if lends_to_all else tuple(sorted(a.get("borrowers") or ())),
    )
    return AssociationRecord(
        id=a["id"], name=a.get("name") or a["id"], name_ar=a.get("nameAr"), policy=policy,
        lent_hours=float(a.get("lentHours") or 0.0),
        borrowed_hours=float(a.get("borrowedHours") or 0.0),
    )


async def get_associations(
    driver: AsyncDriver, ids: Sequence[str]
) -> list[AssociationRecord | None]:
    """Associations in the order of `ids` (None where missing)."""
    records, _, _ = await driver.execute_query(ASSOCIATIONS_BY_IDS, ids=list(ids),
                                               routing_="r")
    by_id = {r["a"]["id"]: _record(r["a"]) for r in records}
    return [by_id.get(i) for i in ids]


async def get_association(driver: AsyncDriver, association_id: str) -> AssociationRecord | None:
    return (await get_associations(driver, [association_id]))[0]


async def list_associations(driver: AsyncDriver) -> list[AssociationRecord]:
    records, _, _ = await driver.execute_query(ALL_ASSOCIATIONS, routing_="r")
    return [_record(r["a"]) for r in records]


async def member_counts(driver: AsyncDriver, ids: Sequence[str]) -> list[int]:
    """Active members of each association, in the order of `ids` (0 where missing)."""
    records, _, _ = await driver.execute_query(MEMBER_COUNTS, ids=list(ids), routing_="r")
    by_id = {r["id"]: int(r["members"]) for r in records}
    return [by_id.get(i, 0) for i in ids]


async def get_sharing_policy(driver: AsyncDriver, association_id: str) -> SharingPolicyRecord:
    record = await get_association(driver, association_id)
    if record is None:
        raise NotFound("Association", association_id)
    return record.policy


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
    record = await get_association(driver, association_id)
    if record is None:  # deleted concurrently
        raise NotFound("Association", association_id)
    return record
