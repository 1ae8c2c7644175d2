"""Bulk volunteer import: the ImportJob node (status + per-line report) and the batched upsert.

Upsert by national-ID hash (one person, one node): a person already in the graph gains the
membership and any higher skill level instead of a duplicate, so re-running a file imports
nothing twice. Like registerVolunteer, an existing person keeps the home governorate and
availability; a new one gets the derived `governorate` and `availSpans`
properties (graph.volunteer_derived) beside what they derive from. Every batch refreshes its
volunteers' skill-gap supply cells (graph.supply_cells) in its own transaction.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, LiteralString
from uuid import uuid4

from neo4j import AsyncDriver, AsyncManagedTransaction

from graph.cypher_runner import read_rows, tx_rows
from graph.recompute import PRIOR_RELIABILITY
from graph.settings import get_settings
from graph.supply_cells import refresh_supply
from graph.volunteer_derived import derived_availability

UPSERT_BATCH = 1000

CREATE_IMPORT_JOB: LiteralString = """
CREATE (j:ImportJob {id: $id, status: 'QUEUED', association: $association, requestedBy: $requestedBy,
                     rowsTotal: 0, imported: 0, created: 0, errors: '[]', error: null,
                     createdAt: $now, finishedAt: null})
RETURN j {.*} AS job
"""

GET_IMPORT_JOB: LiteralString = """
MATCH (j:ImportJob {id: $id}) RETURN j {.*} AS job
"""

MARK_IMPORT_RUNNING: LiteralString = """
MATCH (j:ImportJob {id: $id}) WHERE j.status IN ['QUEUED', 'RUNNING']
SET j.status = 'RUNNING', j.startedAt = $now
RETURN j {.*} AS job
"""

FINISH_IMPORT_JOB: LiteralString = """
MATCH (j:ImportJob {id: $id})
SET j.status = $status, j.rowsTotal = $rowsTotal, j.imported = $imported, j.created = $created,
    j.errors = $errors, j.error = $error, j.finishedAt = $now
RETURN j {.*} AS job
"""

SKILL_CODES: LiteralString = """
MATCH (k:Skill) RETURN k.code AS code
"""

ASSOCIATION_EXISTS: LiteralString = """
MATCH (a:Association {id: $id}) RETURN a.id AS id
"""

UPSERT_VOLUNTEERS: LiteralString = """
MATCH (a:Association {id: $association})
UNWIND $rows AS row
MERGE (v:Volunteer {nationalIdHash: row.hash})
  ON CREATE SET v.id = row.id, v.name = row.name, v.nameNorm = row.nameNorm, v.gender = row.gender,
                v.birthYear = row.birthYear, v.birthGovernorate = row.birthGovernorate,
                v.phone = row.phone, v.active = true, v.reliability = $prior, v.hoursThisMonth = 0.0,
                v.maxTravelKm = row.maxTravelKm, v.maxHoursWeek = row.maxHoursWeek,
                v.lat = row.lat, v.lon = row.lon, v.availability = row.availability,
                v.availSpans = row.availSpans,
                v.blackouts = '[]', v.bookingVersion = 0,
                v.createdAt = $now, v.importJob = $jobId
SET v.changedAt = $now
WITH a, row, v, v.createdAt = $now AND v.importJob = $jobId AS created
CALL {
  WITH v
  OPTIONAL MATCH (v)-[old:MEMBER_OF]->(:Association)
  RETURN count(old) AS memberships
}
MERGE (v)-[m:MEMBER_OF]->(a)
  ON CREATE SET m.since = $now, m.primary = memberships = 0
WITH row, v, created
CALL {
  WITH row, v
  MATCH (g:Governorate {code: row.governorate})
  WHERE NOT EXISTS { (v)-[:LIVES_IN]->(:Governorate) }
  MERGE (v)-[:LIVES_IN]->(g)
  SET v.governorate = g.code
}
CALL {
  WITH row, v
  UNWIND row.skills AS s
  MATCH (k:Skill {code: s.code})
  MERGE (v)-[h:HAS_SKILL]->(k)
    ON CREATE SET h.level = s.level, h.certifiedBy = null, h.expiresAt = null
    ON MATCH SET h.level = CASE WHEN s.level > h.level THEN s.level ELSE h.level END
}
RETURN count(v) AS imported, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created,
       collect(v.id) AS volunteers
"""


def new_import_id() -> str:
    return f"imp-{uuid4().hex}"


async def association_exists(driver: AsyncDriver, association: str) -> bool:
    return bool(await read_rows(driver, ASSOCIATION_EXISTS, {"id": association}))


async def skill_codes(driver: AsyncDriver) -> frozenset[str]:
    return frozenset(r["code"] for r in await read_rows(driver, SKILL_CODES))


async def create_import_job(
    driver: AsyncDriver, *, association: str, requested_by: str | None
) -> dict[str, Any]:
    records, _, _ = await driver.execute_query(
        CREATE_IMPORT_JOB,
        {
            "id": new_import_id(),
            "association": association,
            "requestedBy": requested_by,
            "now": datetime.now(UTC),
        },
        database_=get_settings().neo4j_database,
    )
    return dict(records[0]["job"])


async def get_import_job(driver: AsyncDriver, job_id: str) -> dict[str, Any] | None:
    rows = await read_rows(driver, GET_IMPORT_JOB, {"id": job_id})
    return dict(rows[0]["job"]) if rows else None


async def mark_import_running(driver: AsyncDriver, job_id: str) -> dict[str, Any] | None:
    records, _, _ = await driver.execute_query(
        MARK_IMPORT_RUNNING,
        {"id": job_id, "now": datetime.now(UTC)},
        database_=get_settings().neo4j_database,
    )
    return dict(records[0]["job"]) if records else None


def _derived(availability: str | None) -> dict[str, list[int]]:
    d = derived_availability(availability)
    return {"availSpans": d["spans"]}


async def _upsert_tx(
    tx: AsyncManagedTransaction,
    association: str,
    rows: list[dict[str, Any]],
    job_id: str,
    now: datetime,
) -> tuple[int, int]:
    rows = [{**r, **_derived(r.get("availability"))} for r in rows]
    out = await tx_rows(
        tx,
        UPSERT_VOLUNTEERS,
        {
            "association": association,
            "rows": rows,
            "jobId": job_id,
            "now": now,
            "prior": PRIOR_RELIABILITY,  # a newcomer's reliability (graph/recompute)
        },
    )
    if not out:
        return 0, 0
    await refresh_supply(tx, out[0]["volunteers"])
    return int(out[0]["imported"]), int(out[0]["created"])


async def upsert_volunteers(
    driver: AsyncDriver, *, association: str, rows: Sequence[dict[str, Any]], job_id: str
) -> tuple[int, int]:
    """(imported, created) — imported counts every row written, created the new people."""
    imported = created = 0
    now = datetime.now(UTC)
    async with driver.session(database=get_settings().neo4j_database) as session:
        for i in range(0, len(rows), UPSERT_BATCH):
            a, c = await session.execute_write(
                _upsert_tx, association, list(rows[i : i + UPSERT_BATCH]), job_id, now
            )
            imported += a
            created += c
    return imported, created


async def finish_import_job(
    driver: AsyncDriver,
    job_id: str,
    *,
    status: str,
    rows_total: int,
    imported: int,
    created: int,
    errors: Sequence[dict[str, Any]],
    error: str | None = None,
) -> dict[str, Any] | None:
    records, _, _ = await driver.execute_query(
        FINISH_IMPORT_JOB,
        {
            "id": job_id,
            "status": status,
            "rowsTotal": rows_total,
            "imported": imported,
            "created": created,
            "errors": json.dumps(list(errors), ensure_ascii=False),
            "error": error,
            "now": datetime.now(UTC),
        },
        database_=get_settings().neo4j_database,
    )
    return dict(records[0]["job"]) if records else None
