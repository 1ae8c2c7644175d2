"""Deciding an exchange request: the lender approves (the volunteer then accepts) or declines.

A decline also declines the borrowed assignment so the slot goes back to matching without
that volunteer. One transaction; a decided request cannot be decided again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, LiteralString

from neo4j import AsyncDriver

from graph.assignments import TransitionRefused
from graph.cypher_runner import interactive_session, tx_rows
from graph.errors import NotFound

# Locks in the global order (graph/assignments.py): volunteer, shift, assignment, then the
# request, one SET stage each, and only then reads the statuses. The proposal expiry locks the
# assignment before its request too, so the two wait on the assignment instead of each holding
# what the other needs (a decline writes the assignment after the request was locked: the old
# request-first order deadlocked with the expiry), and the request's status read here is the one
# committed last, never a PENDING that an expiry turned EXPIRED meanwhile.
LOCK_REQUEST: LiteralString = """
MATCH (x:ExchangeRequest {id: $id})-[:FOR]->(a:Assignment)-[:FOR]->(s:Shift)
MATCH (v:Volunteer)-[:ASSIGNED]->(a)
SET v.bookingVersion = coalesce(v.bookingVersion, 0) + 1
WITH x, a, v, s
SET s.lockVersion = coalesce(s.lockVersion, 0) + 1
WITH x, a, v, s
SET a.lockVersion = coalesce(a.lockVersion, 0) + 1
WITH x, a, v, s
SET x.lockVersion = coalesce(x.lockVersion, 0) + 1
WITH x, a, v, s
RETURN x.status AS status, a.id AS assignmentId, a.status AS assignmentStatus,
       v.id AS volunteerId, s.id AS shiftId
"""

DECIDE: LiteralString = """
MATCH (x:ExchangeRequest {id: $id})
SET x.status = $status, x.decidedAt = $now
RETURN x.id AS id
"""

# An approved loan goes to the volunteer, whose answer window (the proposal TTL) starts now
# rather than when the proposal waited for the lender (graph/proposals.py reads proposedAt).
RESTART_PROPOSAL: LiteralString = """
MATCH (a:Assignment {id: $id})
WHERE a.status = 'PROPOSED'
SET a.proposedAt = $now
RETURN a.id AS id
"""

DECLINE_ASSIGNMENT: LiteralString = """
MATCH (a:Assignment {id: $id})
WHERE a.status IN ['PROPOSED', 'CONFIRMED']
SET a.status = 'DECLINED', a.updatedAt = $now, a.history = coalesce(a.history, []) + [$entry]
RETURN a.id AS id
"""


@dataclass(frozen=True, slots=True)
class Decision:
    request_id: str
    status: str
    assignment_id: str
    shift_id: str
    volunteer_id: str


async def _decide_tx(
    tx: Any, request_id: str, approve: bool, actor: str, now: datetime
) -> Decision:
    rows = await tx_rows(tx, LOCK_REQUEST, {"id": request_id})
    if not rows:
        raise NotFound("ExchangeRequest", request_id)
    row = rows[0]
    if row["status"] != "PENDING":
        raise TransitionRefused("exchange_decided")
    if row["assignmentStatus"] != "PROPOSED":  # declined or cancelled meanwhile
        raise TransitionRefused("exchange_closed", status=row["assignmentStatus"])
    status = "APPROVED" if approve else "DECLINED"
    await tx_rows(tx, DECIDE, {"id": request_id, "status": status, "now": now})
    if approve:
        await tx_rows(tx, RESTART_PROPOSAL, {"id": row["assignmentId"], "now": now})
    else:
        entry = f"DECLINED|{now.isoformat()}|{actor}"
        await tx_rows(
            tx, DECLINE_ASSIGNMENT, {"id": row["assignmentId"], "now": now, "entry": entry}
        )
    return Decision(request_id, status, row["assignmentId"], row["shiftId"], row["volunteerId"])


async def decide_exchange(
    driver: AsyncDriver, request_id: str, approve: bool, actor: str
) -> Decision:
    async with interactive_session(driver) as session:
        return await session.execute_write(
            _decide_tx, request_id, approve, actor, datetime.now(UTC)
        )
