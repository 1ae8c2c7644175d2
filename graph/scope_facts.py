"""Small yes/no facts the API's scope checks need (who may see what)."""

from __future__ import annotations

from typing import LiteralString

from neo4j import AsyncDriver

from graph.cypher_runner import read_rows

# a loan that ended before it was served (declined by the lender or the volunteer, cancelled,
# expired unanswered) no longer opens the volunteer to the borrower
VOLUNTEER_BORROWED_BY: LiteralString = """
RETURN EXISTS {
  MATCH (:Volunteer {id: $volunteer})-[:ASSIGNED]->(a:Assignment {viaExchange: true})-[:FOR]->(:Shift)
        <-[:HAS_SHIFT]-(:Event)<-[:ORGANIZES]-(:Association {id: $association})
  WHERE NOT a.status IN ['DECLINED', 'CANCELLED', 'EXPIRED']
} AS yes
"""

VOLUNTEER_IN_EVENT: LiteralString = """
RETURN EXISTS {
  MATCH (:Volunteer {id: $volunteer})-[:ASSIGNED]->(:Assignment)-[:FOR]->(:Shift)<-[:HAS_SHIFT]-(:Event {id: $event})
} AS yes
"""

EVENT_LENT_BY: LiteralString = """
RETURN EXISTS {
  MATCH (:Event {id: $event})-[:HAS_SHIFT]->(:Shift)<-[:FOR]-(:Assignment)-[:LENT_BY]->(:Association {id: $association})
} AS yes
"""


async def volunteer_borrowed_by(
    driver: AsyncDriver, volunteer_id: str, association_id: str
) -> bool:
    """True when the volunteer works (via exchange) on an event the association organizes: a loan
    proposed, confirmed or served, not one declined, cancelled or expired."""
    rows = await read_rows(
        driver, VOLUNTEER_BORROWED_BY, {"volunteer": volunteer_id, "association": association_id}
    )
    return bool(rows[0]["yes"])


async def volunteer_in_event(driver: AsyncDriver, volunteer_id: str, event_id: str) -> bool:
    """True when the volunteer has any assignment on a shift of the event."""
    rows = await read_rows(
        driver, VOLUNTEER_IN_EVENT, {"volunteer": volunteer_id, "event": event_id}
    )
    return bool(rows[0]["yes"])


async def event_lent_by(driver: AsyncDriver, event_id: str, association_id: str) -> bool:
    """True when the association lent a volunteer to a shift of the event."""
    rows = await read_rows(
        driver, EVENT_LENT_BY, {"event": event_id, "association": association_id}
    )
    return bool(rows[0]["yes"])
