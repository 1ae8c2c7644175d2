"""Enrollment in a training program: seats, the waitlist, attendance and completion.

Every write that changes who holds a seat first locks the program node inside its write
transaction (`SET p.lockVersion = coalesce(p.lockVersion, 0) + 1`) and only then counts, so two
concurrent enrollments for the last seat serialise: exactly one gets it, the other waits in
line. Just before that it takes the lock of the association that runs the program
(`trainingLockVersion`): these transactions create relationships to the program node
(IN_PROGRAM), and Neo4j's deadlock detector reports false deadlocks when the holder of a node
lock adds relationships to it while others queue for it (measured: 8 racing enrollments, 6
retries with ~1 s back-off). Nobody adds relationships to the association here, so the queue
forms there and the program lock is then uncontended (0 retries, ~0.1 s). A new enrollment always joins the waitlist and is then promoted in `seq` order while seats
are free, so nobody jumps the queue. Dropping an ENROLLED enrollment promotes the next waitlisted
volunteer in the same transaction; `workers/training_jobs.py` sweeps for anything left over.

Completion grants the program's skill (`HAS_SKILL`) at `grantsLevel`: it raises a lower level,
never lowers a higher valid one, treats an expired holding as absent, and sets `expiresAt` to
now + `validForDays` when the program sets a validity. `certifiedBy` is the program id. The
volunteer's skill-gap supply cells (graph.supply_cells) are refreshed in the same transaction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncDriver, AsyncManagedTransaction

from graph.supply_cells import refresh_supply
from graph.training_errors import bad_input, conflict, not_found
from graph.training_tx import run_read, run_write

ACTIVE_ENROLLMENT_STATUSES = ("ENROLLED", "WAITLISTED", "COMPLETED")

# The association is locked first and the program second (see the module doc for why).
LOCK_PROGRAM: LiteralString = """
MATCH (a:Association)-[:RUNS]->(p:TrainingProgram {id: $programId})
SET a.trainingLockVersion = coalesce(a.trainingLockVersion, 0) + 1
WITH p
SET p.lockVersion = coalesce(p.lockVersion, 0) + 1
RETURN p.id AS id, p.capacity AS capacity, p.startsAt AS startsAt, p.endsAt AS endsAt
"""

LOCK_PROGRAM_OF_ENROLLMENT: LiteralString = """
MATCH (e:Enrollment {id: $enrollmentId})-[:IN_PROGRAM]->(p:TrainingProgram)<-[:RUNS]-(a:Association)
SET a.trainingLockVersion = coalesce(a.trainingLockVersion, 0) + 1
WITH e, p
SET p.lockVersion = coalesce(p.lockVersion, 0) + 1
RETURN p.id AS programId, p.startsAt AS startsAt, p.endsAt AS endsAt, e.status AS status,
       e.attendedHours AS attendedHours
"""

FIND_ENROLLMENT_ID: LiteralString = """
MATCH (e:Enrollment {id: $enrollmentId}) RETURN e.id AS id
"""

VOLUNTEER_FOR_ENROLLMENT: LiteralString = """
MATCH (v:Volunteer {id: $volunteerId})
OPTIONAL MATCH (v)-[:ENROLLED]->(e:Enrollment)-[:IN_PROGRAM]->(:TrainingProgram {id: $programId})
WHERE e.status IN $activeStatuses
RETURN coalesce(v.active, true) AS active, collect(e.status) AS statuses
"""

CREATE_WAITLISTED: LiteralString = """
MATCH (p:TrainingProgram {id: $programId}), (v:Volunteer {id: $volunteerId})
SET p.enrollSeq = coalesce(p.enrollSeq, 0) + 1
CREATE (v)-[:ENROLLED]->(e:Enrollment {
  id: $enrollmentId, status: 'WAITLISTED', attendedHours: 0.0, seq: p.enrollSeq,
  createdAt: $now, updatedAt: $now
})-[:IN_PROGRAM]->(p)
RETURN e.id AS id
"""

# Promote the first waitlisted enrollments (by seq) into the free seats of one open program.
PROMOTE_WAITLIST: LiteralString = """
MATCH (p:TrainingProgram {id: $programId})
WHERE p.endsAt > $now
WITH p, p.capacity - COUNT {
  MATCH (taken:Enrollment)-[:IN_PROGRAM]->(p) WHERE taken.status IN ['ENROLLED', 'COMPLETED']
} AS free
WHERE free > 0
MATCH (w:Enrollment {status: 'WAITLISTED'})-[:IN_PROGRAM]->(p)
WITH free, w ORDER BY w.seq ASC
WITH free, collect(w) AS queue
UNWIND queue[..free] AS promoted
SET promoted.status = 'ENROLLED', promoted.promotedAt = $now, promoted.updatedAt = $now
RETURN promoted.id AS id
"""

# Open programs whose waitlist could move: the sweep's work list.
PROGRAMS_TO_PROMOTE: LiteralString = """
MATCH (p:TrainingProgram)
WHERE p.endsAt > $now
  AND EXISTS { MATCH (:Enrollment {status: 'WAITLISTED'})-[:IN_PROGRAM]->(p) }
  AND p.capacity > COUNT {
    MATCH (taken:Enrollment)-[:IN_PROGRAM]->(p) WHERE taken.status IN ['ENROLLED', 'COMPLETED']
  }
RETURN p.id AS id ORDER BY id
"""

SET_ENROLLMENT_STATUS: LiteralString = """
MATCH (e:Enrollment {id: $enrollmentId})
SET e.status = $status, e.updatedAt = $now
RETURN e.id AS id
"""

ADD_ATTENDANCE: LiteralString = """
MATCH (e:Enrollment {id: $enrollmentId})
SET e.attendedHours = coalesce(e.attendedHours, 0.0) + $hours, e.updatedAt = $now
RETURN e.attendedHours AS attendedHours
"""

# ENROLLED -> COMPLETED and grant the skill. `replace` = no holding, an expired one, or a lower
# level: the program's level and expiry win. Same level: keep the later expiry (null = never).
# Higher valid level: untouched.
COMPLETE_AND_GRANT: LiteralString = """
MATCH (v:Volunteer)-[:ENROLLED]->(e:Enrollment {id: $enrollmentId})-[:IN_PROGRAM]->(p:TrainingProgram)
MATCH (p)-[:TEACHES]->(s:Skill)
SET e.status = 'COMPLETED', e.completedAt = $now, e.updatedAt = $now, v.changedAt = $now
MERGE (v)-[h:HAS_SKILL]->(s)
WITH v, p, h, h.level AS oldLevel, h.expiresAt AS oldExpiry,
     CASE WHEN p.validForDays IS NULL THEN null
          ELSE $now + duration({days: p.validForDays}) END AS newExpiry
WITH v, p, h, oldLevel, oldExpiry, newExpiry,
     (oldLevel IS NULL OR oldLevel < p.grantsLevel
      OR (oldExpiry IS NOT NULL AND oldExpiry <= $now)) AS replace
SET h.level = CASE WHEN replace THEN p.grantsLevel ELSE oldLevel END,
    h.expiresAt = CASE
      WHEN replace THEN newExpiry
      WHEN oldLevel = p.grantsLevel THEN
        CASE WHEN oldExpiry IS NULL OR newExpiry IS NULL THEN null
             WHEN newExpiry > oldExpiry THEN newExpiry ELSE oldExpiry END
      ELSE oldExpiry END,
    h.certifiedBy = CASE WHEN replace OR oldLevel = p.grantsLevel THEN p.id ELSE h.certifiedBy END
RETURN h.level AS level, h.expiresAt AS expiresAt, v.id AS volunteer
"""

ENROLLMENT_ROWS: LiteralString = """
MATCH (v:Volunteer)-[:ENROLLED]->(e:Enrollment)-[:IN_PROGRAM]->(p:TrainingProgram)
WHERE e.id IN $ids
RETURN e {
  .id, .status, .attendedHours, .seq, .createdAt, .updatedAt, volunteer: v.id, program: p.id
} AS enrollment
"""

ENROLLMENTS_OF_PROGRAM: LiteralString = """
MATCH (v:Volunteer)-[:ENROLLED]->(e:Enrollment)-[:IN_PROGRAM]->(p:TrainingProgram {id: $programId})
WHERE $statuses IS NULL OR e.status IN $statuses
RETURN e {
  .id, .status, .attendedHours, .seq, .createdAt, .updatedAt, volunteer: v.id, program: p.id
} AS enrollment
ORDER BY e.seq
"""

ENROLLMENTS_OF_VOLUNTEERS: LiteralString = """
MATCH (v:Volunteer)-[:ENROLLED]->(e:Enrollment)-[:IN_PROGRAM]->(p:TrainingProgram)
WHERE v.id IN $volunteerIds
RETURN e {
  .id, .status, .attendedHours, .seq, .createdAt, .updatedAt, volunteer: v.id, program: p.id
} AS enrollment
ORDER BY e.createdAt, e.id
"""

ENROLLMENT_SCOPE: LiteralString = """
MATCH (v:Volunteer)-[:ENROLLED]->(e:Enrollment {id: $enrollmentId})-[:IN_PROGRAM]->(p:TrainingProgram)
OPTIONAL MATCH (a:Association)-[:RUNS]->(p)
RETURN a.id AS associationId, v.id AS volunteerId, p.id AS programId
"""

PROGRAM_SCOPE: LiteralString = """
MATCH (p:TrainingProgram {id: $programId})
OPTIONAL MATCH (a:Association)-[:RUNS]->(p)
RETURN a.id AS associationId
"""


@dataclass(frozen=True, slots=True)
class Enrollment:
    id: str
    status: str
    attended_hours: float
    seq: int
    volunteer_id: str
    program_id: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class EnrollmentScope:
    """Who may act on an enrollment: the program's association and the volunteer itself."""

    association_id: str | None
    volunteer_id: str
    program_id: str


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def enrollment_from_row(row: dict[str, Any]) -> Enrollment:
    return Enrollment(
        id=row["id"],
        status=row["status"],
        attended_hours=float(row["attendedHours"] or 0.0),
        seq=int(row["seq"]),
        volunteer_id=row["volunteer"],
        program_id=row["program"],
        created_at=_native(row["createdAt"]),
        updated_at=_native(row["updatedAt"]),
    )


async def _single(tx: AsyncManagedTransaction, query: LiteralString, **params: Any) -> Any:
    return await (await tx.run(query, **params)).single()


async def _values(
    tx: AsyncManagedTransaction, query: LiteralString, key: str, **params: Any
) -> list[Any]:
    result = await tx.run(query, **params)
    return [record[key] async for record in result]


async def _promote_tx(tx: AsyncManagedTransaction, program_id: str, now: datetime) -> list[str]:
    return await _values(tx, PROMOTE_WAITLIST, "id", programId=program_id, now=now)


async def _enroll_tx(
    tx: AsyncManagedTransaction,
    enrollment_id: str,
    program_id: str,
    volunteer_id: str,
    now: datetime,
) -> str:
    if await _single(tx, FIND_ENROLLMENT_ID, enrollmentId=enrollment_id) is not None:
        return enrollment_id  # a retried request: already done
    program = await _single(tx, LOCK_PROGRAM, programId=program_id)  # lock first, then count
    if program is None:
        raise not_found("training program", program_id, "programId")
    if _native(program["endsAt"]) <= now:
        raise bad_input("programId", "program_ended", "the training program has already ended")
    volunteer = await _single(
        tx,
        VOLUNTEER_FOR_ENROLLMENT,
        volunteerId=volunteer_id,
        programId=program_id,
        activeStatuses=list(ACTIVE_ENROLLMENT_STATUSES),
    )
    if volunteer is None:
        raise not_found("volunteer", volunteer_id, "volunteerId")
    if not volunteer["active"]:
        raise bad_input("volunteerId", "volunteer_inactive", "the volunteer is not active")
    if volunteer["statuses"]:
        status = volunteer["statuses"][0]
        raise conflict(
            "already_enrolled",
            f"the volunteer already has a {status} enrollment in this program",
            "volunteerId",
            status=status,
        )
    await tx.run(
        CREATE_WAITLISTED,
        programId=program_id,
        volunteerId=volunteer_id,
        enrollmentId=enrollment_id,
        now=now,
    )
    await _promote_tx(tx, program_id, now)
    return enrollment_id


async def _drop_tx(tx: AsyncManagedTransaction, enrollment_id: str, now: datetime) -> list[str]:
    locked = await _single(tx, LOCK_PROGRAM_OF_ENROLLMENT, enrollmentId=enrollment_id)
    if locked is None:
        raise not_found("enrollment", enrollment_id, "enrollmentId")
    status = locked["status"]
    if status == "DROPPED":
        return []  # dropping twice changes nothing
    if status == "COMPLETED":
        raise conflict(
            "completed_cannot_drop", "a completed enrollment cannot be dropped", "enrollmentId"
        )
    await tx.run(SET_ENROLLMENT_STATUS, enrollmentId=enrollment_id, status="DROPPED", now=now)
    if status != "ENROLLED":
        return []
    return await _promote_tx(tx, locked["programId"], now)


def _require_enrolled_and_started(locked: Any, now: datetime, action: str) -> None:
    if locked["status"] != "ENROLLED":
        raise conflict(
            "enrollment_not_enrolled",
            f"only an ENROLLED enrollment can {action} (this one is {locked['status']})",
            "enrollmentId",
            status=locked["status"],
        )
    if _native(locked["startsAt"]) > now:
        raise conflict(
            "program_not_started",
            f"the training program has not started yet: cannot {action}",
            "enrollmentId",
        )


async def _attendance_tx(
    tx: AsyncManagedTransaction, enrollment_id: str, hours: float, now: datetime
) -> float:
    locked = await _single(tx, LOCK_PROGRAM_OF_ENROLLMENT, enrollmentId=enrollment_id)
    if locked is None:
        raise not_found("enrollment", enrollment_id, "enrollmentId")
    _require_enrolled_and_started(locked, now, "record attendance")
    span = (_native(locked["endsAt"]) - _native(locked["startsAt"])).total_seconds() / 3600.0
    total = float(locked["attendedHours"] or 0.0) + hours
    if total > span + 1e-9:
        raise bad_input(
            "hours",
            "attendance_exceeds",
            f"attendance would reach {total:g} h, more than the program's {span:g} h",
            total=f"{total:g}",
            span=f"{span:g}",
        )
    record = await _single(tx, ADD_ATTENDANCE, enrollmentId=enrollment_id, hours=hours, now=now)
    return float(record["attendedHours"])


async def _complete_tx(tx: AsyncManagedTransaction, enrollment_id: str, now: datetime) -> None:
    locked = await _single(tx, LOCK_PROGRAM_OF_ENROLLMENT, enrollmentId=enrollment_id)
    if locked is None:
        raise not_found("enrollment", enrollment_id, "enrollmentId")
    if locked["status"] == "COMPLETED":
        return  # completing twice changes nothing
    _require_enrolled_and_started(locked, now, "complete the training")
    granted = await _single(tx, COMPLETE_AND_GRANT, enrollmentId=enrollment_id, now=now)
    if granted is not None:
        await refresh_supply(tx, [granted["volunteer"]])


async def _rows(tx: AsyncManagedTransaction, query: LiteralString, **params: Any) -> list[Any]:
    result = await tx.run(query, **params)
    return [record["enrollment"] async for record in result]


async def get_enrollments(driver: AsyncDriver, ids: list[str]) -> dict[str, Enrollment]:
    rows = await run_read(driver, _rows, ENROLLMENT_ROWS, ids=list(ids))
    return {row["id"]: enrollment_from_row(row) for row in rows}


async def _get_one(driver: AsyncDriver, enrollment_id: str) -> Enrollment:
    found = await get_enrollments(driver, [enrollment_id])
    if enrollment_id not in found:
        raise not_found("enrollment", enrollment_id, "enrollmentId")
    return found[enrollment_id]


async def enrollments_of_program(
    driver: AsyncDriver, program_id: str, statuses: list[str] | None = None
) -> list[Enrollment]:
    rows = await run_read(
        driver, _rows, ENROLLMENTS_OF_PROGRAM, programId=program_id, statuses=statuses
    )
    return [enrollment_from_row(row) for row in rows]


async def enrollments_of_volunteers(
    driver: AsyncDriver, volunteer_ids: list[str]
) -> dict[str, list[Enrollment]]:
    """Enrollments grouped by volunteer id, in key order friendly form for a DataLoader."""
    rows = await run_read(
        driver, _rows, ENROLLMENTS_OF_VOLUNTEERS, volunteerIds=list(volunteer_ids)
    )
    grouped: dict[str, list[Enrollment]] = {vid: [] for vid in volunteer_ids}
    for row in rows:
        grouped.setdefault(row["volunteer"], []).append(enrollment_from_row(row))
    return grouped


async def enroll(
    driver: AsyncDriver,
    enrollment_id: str,
    program_id: str,
    volunteer_id: str,
    now: datetime,
) -> Enrollment:
    """ENROLLED if a seat is free (and nobody waits before), else WAITLISTED."""
    await run_write(driver, _enroll_tx, enrollment_id, program_id, volunteer_id, now)
    return await _get_one(driver, enrollment_id)


async def drop_enrollment(driver: AsyncDriver, enrollment_id: str, now: datetime) -> Enrollment:
    """DROPPED; a freed seat goes to the first waitlisted volunteer in the same transaction."""
    await run_write(driver, _drop_tx, enrollment_id, now)
    return await _get_one(driver, enrollment_id)


async def record_attendance(
    driver: AsyncDriver, enrollment_id: str, hours: float, now: datetime
) -> Enrollment:
    """Add `hours` (> 0) to an ENROLLED enrollment, never past the program's length."""
    if not (math.isfinite(hours) and hours > 0):
        raise bad_input("hours", "hours_positive", "hours must be a number above 0")
    await run_write(driver, _attendance_tx, enrollment_id, hours, now)
    return await _get_one(driver, enrollment_id)


async def complete_training(driver: AsyncDriver, enrollment_id: str, now: datetime) -> Enrollment:
    """ENROLLED -> COMPLETED, granting or raising the program's skill (see module doc)."""
    await run_write(driver, _complete_tx, enrollment_id, now)
    return await _get_one(driver, enrollment_id)


async def promote_waitlist(driver: AsyncDriver, program_id: str, now: datetime) -> list[str]:
    """Fill the free seats of one program from its waitlist; the ids promoted."""

    async def tx_fn(tx: AsyncManagedTransaction) -> list[str]:
        await _single(tx, LOCK_PROGRAM, programId=program_id)
        return await _promote_tx(tx, program_id, now)

    return await run_write(driver, tx_fn)


async def programs_to_promote(driver: AsyncDriver, now: datetime) -> list[str]:
    return await run_read(driver, _values, PROGRAMS_TO_PROMOTE, "id", now=now)


async def enrollment_scope(driver: AsyncDriver, enrollment_id: str) -> EnrollmentScope | None:
    async def tx_fn(tx: AsyncManagedTransaction) -> Any:
        return await _single(tx, ENROLLMENT_SCOPE, enrollmentId=enrollment_id)

    record = await run_read(driver, tx_fn)
    if record is None:
        return None
    return EnrollmentScope(record["associationId"], record["volunteerId"], record["programId"])


async def program_association(driver: AsyncDriver, program_id: str) -> str | None:
    """The association that runs the program; raises NOT_FOUND when there is no such program."""

    async def tx_fn(tx: AsyncManagedTransaction) -> Any:
        return await _single(tx, PROGRAM_SCOPE, programId=program_id)

    record = await run_read(driver, tx_fn)
    if record is None:
        raise not_found("training program", program_id, "programId")
    return record["associationId"]
