"""The assignment lifecycle: respond, cancel, check in, complete / no-show, in one tx each.

Every transition locks the volunteer (bookingVersion), then the shift, then the assignment
(lockVersion) first, reads the status only then (the global lock order is below), refuses
transitions the lifecycle does not allow (`TransitionRefused`), appends "STATUS|iso-time|actor"
to history and bumps updatedAt.
Tx functions are idempotent: a retry after a transient error re-runs them from the start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final, LiteralString

from neo4j import AsyncDriver

from graph.assignment_reads import BOOKED_STATUSES
from graph.cypher_runner import interactive_session, tx_rows
from graph.errors import NotFound
from graph.recompute import reliability

RESPOND_FROM: Final = frozenset({"PROPOSED"})  # the volunteer accepts or declines a proposal
CANCEL_FROM: Final = frozenset({"PROPOSED", "CONFIRMED"})
CHECKIN_FROM: Final = frozenset({"CONFIRMED"})
COMPLETE_FROM: Final = frozenset({"CHECKED_IN"})
NO_SHOW_FROM: Final = frozenset({"CONFIRMED"})


class TransitionRefused(Exception):
    """The lifecycle forbids this change now; `key` names the reason, `params` fill it."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


# The global lock order of every write path (graph/matching_commit.py, graph/exchange.py,
# graph/proposals.py and the lifecycle below): volunteers (ascending id), then shifts (ascending
# id), then assignments (ascending id), then exchange requests, then associations (ascending id),
# then skill-gap supply cells (ascending key: every volunteer writer's last statement,
# graph/supply_cells.py). A path may skip a kind but never take one out of this order, so no two
# transactions each hold what the other waits for. One assignment has one volunteer and one shift: the statement locks
# them in stages (the plan runs SetProperty(v), SetProperty(s), SetProperty(a) in that order for
# the single row) and reads the status only after the assignment is locked, so a proposal expiry
# (which locks the assignment, then re-reads) and a response cannot both act on PROPOSED.
LOCK_ASSIGNMENT: LiteralString = """
MATCH (v:Volunteer)-[:ASSIGNED]->(a:Assignment {id: $id})-[:FOR]->(s:Shift)
SET v.bookingVersion = coalesce(v.bookingVersion, 0) + 1
WITH v, a, s
SET s.lockVersion = coalesce(s.lockVersion, 0) + 1
WITH v, a, s
SET a.lockVersion = coalesce(a.lockVersion, 0) + 1
WITH v, a, s
RETURN a.status AS status, v.id AS volunteerId, s.id AS shiftId, s.startsAt AS startsAt,
       s.endsAt AS endsAt, coalesce(a.viaExchange, false) AS viaExchange
"""

SET_STATUS: LiteralString = """
MATCH (a:Assignment {id: $id})
SET a.status = $status, a.updatedAt = $now, a.history = coalesce(a.history, []) + [$entry]
RETURN a.id AS id
"""

# `(b)` without the Assignment label (only assignments are ASSIGNED): with it the planner may
# scan the status index instead of expanding from the volunteer.
OVERLAPPING: LiteralString = """
MATCH (:Volunteer {id: $volunteer})-[:ASSIGNED]->(b)
WHERE b.id <> $id AND b.status IN $active AND b.startsAt < $endsAt AND b.endsAt > $startsAt
RETURN count(b) AS n
"""

PENDING_EXCHANGE: LiteralString = """
MATCH (x:ExchangeRequest {status: 'PENDING'})-[:FOR]->(:Assignment {id: $id})
RETURN count(x) AS n
"""

# An assignment declined or cancelled while its loan waits for the lender: the request has
# nothing left to decide (written under the assignment's lock, as graph/proposals.py does).
CLOSE_PENDING_EXCHANGE: LiteralString = """
MATCH (x:ExchangeRequest {status: 'PENDING'})-[:FOR]->(:Assignment {id: $id})
SET x.status = 'EXPIRED', x.decidedAt = $now
RETURN count(x) AS n
"""

# Volunteer (already locked), assignment, then the two associations in ascending id order.
CREDIT_HOURS: LiteralString = """
MATCH (v:Volunteer)-[:ASSIGNED]->(a:Assignment {id: $id})-[:FOR]->(:Shift)<-[:HAS_SHIFT]-(:Event)
      <-[:ORGANIZES]-(borrower:Association)
SET v.hoursThisMonth = coalesce(v.hoursThisMonth, 0.0) + $hours
WITH a, borrower
SET a.hours = $hours
WITH a, borrower
OPTIONAL MATCH (a)-[:LENT_BY]->(lender:Association)
WITH a, borrower, lender WHERE coalesce(a.viaExchange, false) AND lender IS NOT NULL
UNWIND [lender, borrower] AS org
WITH org, lender ORDER BY org.id
SET org.lentHours = CASE WHEN org = lender
                         THEN coalesce(org.lentHours, 0.0) + $hours ELSE org.lentHours END,
    org.borrowedHours = CASE WHEN org = lender
                             THEN org.borrowedHours
                             ELSE coalesce(org.borrowedHours, 0.0) + $hours END
RETURN collect(org.id) AS credited
"""

# The volunteer's attendance history (it is locked already), for the one reliability rule
# the nightly recompute applies too (graph/recompute.reliability).
ATTENDANCE_OF: LiteralString = """
MATCH (v:Volunteer)-[:ASSIGNED]->(:Assignment {id: $id})
CALL {
  WITH v
  MATCH (v)-[:ASSIGNED]->(x)
  WHERE x.status IN ['COMPLETED', 'NO_SHOW']
  RETURN sum(CASE WHEN x.status = 'COMPLETED' THEN 1 ELSE 0 END) AS completed,
         sum(CASE WHEN x.status = 'NO_SHOW' THEN 1 ELSE 0 END) AS noShows
}
RETURN v.id AS volunteer, completed, noShows
"""

SET_RELIABILITY: LiteralString = """
MATCH (v:Volunteer {id: $volunteer})
SET v.reliability = $reliability
RETURN v.reliability AS reliability
"""


@dataclass(frozen=True, slots=True)
class Changed:
    """What a transition did: the assignment, its shift and volunteer (for refills)."""

    assignment_id: str
    shift_id: str
    volunteer_id: str
    status: str


def _native(value: Any) -> datetime:
    value = value.to_native() if hasattr(value, "to_native") else value
    return value if value.tzinfo else value.replace(tzinfo=UTC)


async def _lock(tx: Any, assignment_id: str) -> dict[str, Any]:
    rows = await tx_rows(tx, LOCK_ASSIGNMENT, {"id": assignment_id})
    if not rows:
        raise NotFound("Assignment", assignment_id)
    return rows[0]


def _require(current: str, allowed: frozenset[str], target: str) -> None:
    if current not in allowed:
        raise TransitionRefused("bad_transition", status=current, target=target)


async def _set(tx: Any, assignment_id: str, status: str, actor: str, now: datetime) -> None:
    entry = f"{status}|{now.isoformat()}|{actor}"
    await tx_rows(
        tx, SET_STATUS, {"id": assignment_id, "status": status, "now": now, "entry": entry}
    )


def _changed(assignment_id: str, row: dict[str, Any], status: str) -> Changed:
    return Changed(assignment_id, row["shiftId"], row["volunteerId"], status)


async def _respond_tx(
    tx: Any, assignment_id: str, accept: bool, actor: str, now: datetime
) -> Changed:
    row = await _lock(tx, assignment_id)
    if accept:
        _require(row["status"], RESPOND_FROM, "CONFIRMED")
        pending = await tx_rows(tx, PENDING_EXCHANGE, {"id": assignment_id})
        if pending[0]["n"]:
            raise TransitionRefused("exchange_pending")
        clash = await tx_rows(
            tx,
            OVERLAPPING,
            {
                "volunteer": row["volunteerId"],
                "id": assignment_id,
                "active": BOOKED_STATUSES,
                "startsAt": row["startsAt"],
                "endsAt": row["endsAt"],
            },
        )
        if clash[0]["n"]:
            raise TransitionRefused("double_booked")
        status = "CONFIRMED"
    else:
        _require(row["status"], RESPOND_FROM, "DECLINED")
        status = "DECLINED"
        await tx_rows(tx, CLOSE_PENDING_EXCHANGE, {"id": assignment_id, "now": now})
    await _set(tx, assignment_id, status, actor, now)
    return _changed(assignment_id, row, status)


async def _cancel_tx(tx: Any, assignment_id: str, actor: str, now: datetime) -> Changed:
    row = await _lock(tx, assignment_id)
    _require(row["status"], CANCEL_FROM, "CANCELLED")
    await tx_rows(tx, CLOSE_PENDING_EXCHANGE, {"id": assignment_id, "now": now})
    await _set(tx, assignment_id, "CANCELLED", actor, now)
    return _changed(assignment_id, row, "CANCELLED")


async def _check_in_tx(
    tx: Any, assignment_id: str, actor: str, now: datetime, open_minutes: int
) -> Changed:
    row = await _lock(tx, assignment_id)
    _require(row["status"], CHECKIN_FROM, "CHECKED_IN")
    opens = _native(row["startsAt"]) - timedelta(minutes=open_minutes)
    if now < opens:
        raise TransitionRefused("checkin_not_open", minutes=open_minutes)
    await _set(tx, assignment_id, "CHECKED_IN", actor, now)
    return _changed(assignment_id, row, "CHECKED_IN")


async def _complete_tx(
    tx: Any, assignment_id: str, hours: float | None, no_show: bool, actor: str, now: datetime
) -> Changed:
    row = await _lock(tx, assignment_id)
    if now < _native(row["startsAt"]):
        # nobody has worked, or failed to come to, a shift that has not begun: no hours are
        # credited and no reliability is lowered ahead of time
        raise TransitionRefused("shift_not_started")
    if no_show:
        _require(row["status"], NO_SHOW_FROM | COMPLETE_FROM, "NO_SHOW")
        await _set(tx, assignment_id, "NO_SHOW", actor, now)
        await _update_reliability(tx, assignment_id)
        return _changed(assignment_id, row, "NO_SHOW")
    _require(row["status"], COMPLETE_FROM, "COMPLETED")
    if hours is None:
        hours = (_native(row["endsAt"]) - _native(row["startsAt"])).total_seconds() / 3600.0
    await _set(tx, assignment_id, "COMPLETED", actor, now)
    await tx_rows(tx, CREDIT_HOURS, {"id": assignment_id, "hours": float(hours)})
    await _update_reliability(tx, assignment_id)
    return _changed(assignment_id, row, "COMPLETED")


async def _update_reliability(tx: Any, assignment_id: str) -> None:
    """Reliability from the whole attendance history, by the nightly recompute's own rule, so a
    completion raises it, a no-show lowers it, and the two never disagree."""
    [row] = await tx_rows(tx, ATTENDANCE_OF, {"id": assignment_id})
    score = reliability(int(row["completed"]), int(row["noShows"]))
    await tx_rows(tx, SET_RELIABILITY, {"volunteer": row["volunteer"], "reliability": score})


async def respond(driver: AsyncDriver, assignment_id: str, accept: bool, actor: str) -> Changed:
    async with interactive_session(driver) as session:
        return await session.execute_write(
            _respond_tx, assignment_id, accept, actor, datetime.now(UTC)
        )


async def cancel(driver: AsyncDriver, assignment_id: str, actor: str) -> Changed:
    async with interactive_session(driver) as session:
        return await session.execute_write(_cancel_tx, assignment_id, actor, datetime.now(UTC))


async def check_in(
    driver: AsyncDriver, assignment_id: str, actor: str, open_minutes: int
) -> Changed:
    async with interactive_session(driver) as session:
        return await session.execute_write(
            _check_in_tx, assignment_id, actor, datetime.now(UTC), open_minutes
        )


async def complete(
    driver: AsyncDriver, assignment_id: str, actor: str, *, hours: float | None, no_show: bool
) -> Changed:
    async with interactive_session(driver) as session:
        return await session.execute_write(
            _complete_tx, assignment_id, hours, no_show, actor, datetime.now(UTC)
        )
