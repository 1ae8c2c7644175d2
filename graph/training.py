"""Training programs: create one, read one, list them, with their seat counts.

A program belongs to the association that RUNS it, TEACHES one skill at `grantsLevel`, takes
place IN a governorate and seats `capacity` volunteers. Seats are taken by ENROLLED and
COMPLETED enrollments (a volunteer who finished the course used a seat); WAITLISTED ones wait
in `seq` order. Enrollment rules live in `graph/training_enrollment.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, LiteralString

from neo4j import AsyncDriver, AsyncManagedTransaction

from graph.training_errors import bad_input
from graph.training_tx import run_read, run_write

TITLE_MAX = 200
MAX_LEVEL = 5

# Statuses that hold a seat; the waitlist is the rest of the active ones.
SEAT_STATUSES = ("ENROLLED", "COMPLETED")

CHECK_PROGRAM_REFERENCES: LiteralString = """
RETURN EXISTS { MATCH (:Skill {code: $skill}) } AS skill,
       EXISTS { MATCH (:Governorate {code: $governorate}) } AS governorate,
       EXISTS { MATCH (:Association {id: $associationId}) } AS association
"""

CREATE_PROGRAM: LiteralString = """
MATCH (a:Association {id: $associationId}), (s:Skill {code: $skill}), (g:Governorate {code: $governorate})
MERGE (p:TrainingProgram {id: $id})
ON CREATE SET p.title = $title, p.grantsLevel = $grantsLevel, p.capacity = $capacity,
              p.startsAt = $startsAt, p.endsAt = $endsAt, p.validForDays = $validForDays,
              p.createdAt = $now, p.lockVersion = 0, p.enrollSeq = 0
MERGE (a)-[:RUNS]->(p)
MERGE (p)-[:TEACHES]->(s)
MERGE (p)-[:IN]->(g)
RETURN p.id AS id
"""

# One projection for every read, so the API always gets the same row shape.
PROGRAM_ROW: LiteralString = """
MATCH (a:Association)-[:RUNS]->(p)-[:TEACHES]->(s:Skill), (p)-[:IN]->(g:Governorate)
RETURN p {
  .id, .title, .grantsLevel, .capacity, .startsAt, .endsAt, .validForDays, .createdAt,
  skill: s.code, governorate: g.code, association: a.id,
  enrolled: COUNT { MATCH (e:Enrollment {status: 'ENROLLED'})-[:IN_PROGRAM]->(p) },
  waitlisted: COUNT { MATCH (e:Enrollment {status: 'WAITLISTED'})-[:IN_PROGRAM]->(p) },
  completed: COUNT { MATCH (e:Enrollment {status: 'COMPLETED'})-[:IN_PROGRAM]->(p) }
} AS program
"""

GET_PROGRAMS: LiteralString = (
    """
MATCH (p:TrainingProgram) WHERE p.id IN $ids
WITH p
"""
    + PROGRAM_ROW
)

LIST_PROGRAMS: LiteralString = (
    """
MATCH (p:TrainingProgram)
WHERE ($skill IS NULL OR EXISTS { MATCH (p)-[:TEACHES]->(:Skill {code: $skill}) })
  AND ($governorate IS NULL OR EXISTS { MATCH (p)-[:IN]->(:Governorate {code: $governorate}) })
  AND ($associationId IS NULL OR EXISTS { MATCH (:Association {id: $associationId})-[:RUNS]->(p) })
WITH p ORDER BY p.startsAt, p.id SKIP $skip LIMIT $limit
"""
    + PROGRAM_ROW
)

COUNT_PROGRAMS: LiteralString = """
MATCH (p:TrainingProgram)
WHERE ($skill IS NULL OR EXISTS { MATCH (p)-[:TEACHES]->(:Skill {code: $skill}) })
  AND ($governorate IS NULL OR EXISTS { MATCH (p)-[:IN]->(:Governorate {code: $governorate}) })
  AND ($associationId IS NULL OR EXISTS { MATCH (:Association {id: $associationId})-[:RUNS]->(p) })
RETURN count(p) AS total
"""


@dataclass(frozen=True, slots=True)
class ProgramInput:
    """What a trainer (or an admin on behalf of an association) asks to create."""

    title: str
    skill: str
    grants_level: int
    governorate: str
    capacity: int
    starts_at: datetime
    ends_at: datetime
    valid_for_days: int | None
    association_id: str


@dataclass(frozen=True, slots=True)
class Program:
    """A program as read back, with its seat counts."""

    id: str
    title: str
    skill: str
    grants_level: int
    association_id: str
    governorate: str
    capacity: int
    starts_at: datetime
    ends_at: datetime
    valid_for_days: int | None
    created_at: datetime
    enrolled_count: int
    waitlist_count: int
    completed_count: int

    @property
    def seats_left(self) -> int:
        """Seats nobody holds: capacity minus ENROLLED and COMPLETED, never below 0."""
        return max(0, self.capacity - self.enrolled_count - self.completed_count)

    @property
    def completion_rate(self) -> float:
        """completed / (enrolled + completed); 0.0 while nobody holds a seat."""
        seated = self.enrolled_count + self.completed_count
        return self.completed_count / seated if seated else 0.0


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def program_from_row(row: dict[str, Any]) -> Program:
    return Program(
        id=row["id"],
        title=row["title"],
        skill=row["skill"],
        grants_level=int(row["grantsLevel"]),
        association_id=row["association"],
        governorate=row["governorate"],
        capacity=int(row["capacity"]),
        starts_at=_native(row["startsAt"]),
        ends_at=_native(row["endsAt"]),
        valid_for_days=row["validForDays"],
        created_at=_native(row["createdAt"]),
        enrolled_count=int(row["enrolled"]),
        waitlist_count=int(row["waitlisted"]),
        completed_count=int(row["completed"]),
    )


def validate_program_input(data: ProgramInput) -> None:
    """Refuse the first bad field with BAD_USER_INPUT naming it (checks that need no database)."""
    if not data.title.strip():
        raise bad_input("title", "required", "title must not be empty")
    if len(data.title) > TITLE_MAX:
        raise bad_input(
            "title", "too_long", f"title must be at most {TITLE_MAX} characters", max=TITLE_MAX
        )
    if not 1 <= data.grants_level <= MAX_LEVEL:
        raise bad_input(
            "grantsLevel", "level_range", f"grantsLevel must be between 1 and {MAX_LEVEL}"
        )
    if data.capacity < 1:
        raise bad_input("capacity", "must_be_positive", "capacity must be at least 1")
    if data.starts_at.tzinfo is None:
        raise bad_input("startsAt", "datetime_offset", "startsAt must carry a UTC offset")
    if data.ends_at.tzinfo is None:
        raise bad_input("endsAt", "datetime_offset", "endsAt must carry a UTC offset")
    if data.ends_at <= data.starts_at:
        raise bad_input("endsAt", "end_after_start", "endsAt must be after startsAt")
    if data.valid_for_days is not None and data.valid_for_days < 1:
        raise bad_input(
            "validForDays", "must_be_positive", "validForDays must be at least 1 when set"
        )


async def _create_program_tx(
    tx: AsyncManagedTransaction, program_id: str, data: ProgramInput, now: datetime
) -> str:
    found = await (
        await tx.run(
            CHECK_PROGRAM_REFERENCES,
            skill=data.skill,
            governorate=data.governorate,
            associationId=data.association_id,
        )
    ).single(strict=True)
    if not found["skill"]:
        raise bad_input("skill", "unknown_skill", f"unknown skill '{data.skill}'", code=data.skill)
    if not found["governorate"]:
        raise bad_input(
            "governorate",
            "unknown_governorate",
            f"unknown governorate '{data.governorate}'",
            code=data.governorate,
        )
    if not found["association"]:
        raise bad_input(
            "association",
            "unknown_association",
            f"unknown association '{data.association_id}'",
            id=data.association_id,
        )
    record = await (
        await tx.run(
            CREATE_PROGRAM,
            id=program_id,
            associationId=data.association_id,
            skill=data.skill,
            governorate=data.governorate,
            title=data.title.strip(),
            grantsLevel=data.grants_level,
            capacity=data.capacity,
            startsAt=data.starts_at.astimezone(UTC),
            endsAt=data.ends_at.astimezone(UTC),
            validForDays=data.valid_for_days,
            now=now,
        )
    ).single(strict=True)
    return str(record["id"])


async def create_program(
    driver: AsyncDriver, program_id: str, data: ProgramInput, now: datetime
) -> Program:
    """Validate and create the program (idempotent on `program_id`), then read it back."""
    validate_program_input(data)
    await run_write(driver, _create_program_tx, program_id, data, now)
    programs = await get_programs(driver, [program_id])
    return programs[program_id]


async def _read_rows(tx: AsyncManagedTransaction, query: LiteralString, **params: Any) -> list[Any]:
    result = await tx.run(query, **params)
    return [record.data() async for record in result]


async def get_programs(driver: AsyncDriver, ids: list[str]) -> dict[str, Program]:
    """Programs by id (missing ids are absent from the dict)."""
    rows = await run_read(driver, _read_rows, GET_PROGRAMS, ids=list(ids))
    return {row["program"]["id"]: program_from_row(row["program"]) for row in rows}


async def list_programs(
    driver: AsyncDriver,
    *,
    skill: str | None = None,
    governorate: str | None = None,
    association_id: str | None = None,
    skip: int = 0,
    limit: int = 50,
) -> tuple[list[Program], int]:
    """One page of programs ordered by start, and the total matching the filters."""
    params = {"skill": skill, "governorate": governorate, "associationId": association_id}
    rows = await run_read(driver, _read_rows, LIST_PROGRAMS, skip=skip, limit=limit, **params)
    totals = await run_read(driver, _read_rows, COUNT_PROGRAMS, **params)
    return [program_from_row(r["program"]) for r in rows], int(totals[0]["total"])
