"""MatchingRun nodes: created QUEUED by the API, moved through RUNNING to SUCCEEDED or FAILED.

The run node is the single source of truth for a run's state; the worker writes progress here
and announces it on Redis, subscribers re-read it from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, LiteralString
from uuid import uuid4

from neo4j import AsyncDriver

from graph.assignment_reads import BOOKED_STATUSES
from graph.settings import get_settings

RUN_STATUSES = ("QUEUED", "RUNNING", "SUCCEEDED", "FAILED")
FINISHED = ("SUCCEEDED", "FAILED")

# Open slots of the given shifts: each need's count minus its active assignments ((s)<-[:FOR]-(x)
# without the Assignment label, so the planner cannot trade the expansion for a seek of every
# active assignment in the graph per need; see graph.matching_load).
OPEN_SLOTS: LiteralString = """
UNWIND $shiftIds AS sid
MATCH (s:Shift {id: sid})-[n:NEEDS]->(:Skill)
OPTIONAL MATCH (s)<-[:FOR]-(x)
  WHERE x.status IN $active AND x.needIndex = n.index
WITH n, count(x) AS filled
RETURN coalesce(sum(CASE WHEN n.count > filled THEN n.count - filled ELSE 0 END), 0) AS open
"""

# The open slots are counted in the same statement (one round trip for the API's mutation).
CREATE_RUN: LiteralString = "CALL {" + OPEN_SLOTS + """}
CREATE (r:MatchingRun {
  id: $id, status: 'QUEUED', progress: 0.0, urgent: $urgent, allowExchange: $allowExchange,
  association: $association, shiftIds: $shiftIds, slotsTotal: open, slotsFilled: 0,
  exchanged: 0, totalCost: null, error: null, unfilled: '[]', createdAt: $now, finishedAt: null,
  kind: $kind, excludeVolunteers: $exclude, requestedBy: $requestedBy, attempts: 0
})
RETURN r {.*} AS run
"""

GET_RUN: LiteralString = """
MATCH (r:MatchingRun {id: $id}) RETURN r {.*} AS run
"""

GET_RUNS: LiteralString = """
UNWIND $ids AS rid
MATCH (r:MatchingRun {id: rid}) RETURN r {.*} AS run
"""

# Re-entrant: a retried job finds the run RUNNING (its previous attempt died) and goes on.
# Starting also raises the progress to $progress (one write instead of two).
MARK_RUNNING: LiteralString = """
MATCH (r:MatchingRun {id: $id})
WITH r, r.status IN ['QUEUED', 'RUNNING'] AS startable
SET r.status = CASE WHEN startable THEN 'RUNNING' ELSE r.status END,
    r.startedAt = CASE WHEN startable THEN $now ELSE r.startedAt END,
    r.progress = CASE WHEN startable AND coalesce(r.progress, 0.0) < $progress THEN $progress
                      ELSE r.progress END,
    r.attempts = coalesce(r.attempts, 0) + CASE WHEN startable THEN 1 ELSE 0 END
RETURN r {.*} AS run, startable
"""

SET_PROGRESS: LiteralString = """
MATCH (r:MatchingRun {id: $id}) WHERE r.status = 'RUNNING' AND r.progress < $progress
SET r.progress = $progress
RETURN r.progress AS progress
"""

# The problem is loaded: its slot count and the progress in one write.
SET_SLOTS_TOTAL: LiteralString = """
MATCH (r:MatchingRun {id: $id}) WHERE r.status = 'RUNNING'
SET r.slotsTotal = $slotsTotal,
    r.progress = CASE WHEN r.progress < $progress THEN $progress ELSE r.progress END
RETURN r.progress AS progress
"""

# How long each stage of the run took (JSON), for operators and the benchmark.
SET_TIMINGS: LiteralString = """
MATCH (r:MatchingRun {id: $id}) SET r.timings = $timings
"""

MARK_FAILED: LiteralString = """
MATCH (r:MatchingRun {id: $id}) WHERE r.status IN ['QUEUED', 'RUNNING']
SET r.status = 'FAILED', r.error = $error, r.finishedAt = $now
RETURN r {.*} AS run
"""

RUN_ASSIGNMENT_PAGE: LiteralString = """
MATCH (r:MatchingRun {id: $id})-[:PRODUCED]->(x:Assignment)
RETURN x.id AS id ORDER BY x.id SKIP $skip LIMIT $limit
"""

RUN_ASSIGNMENT_COUNT: LiteralString = """
MATCH (r:MatchingRun {id: $id})-[:PRODUCED]->(x:Assignment) RETURN count(x) AS n
"""


def _db() -> str:
    return get_settings().neo4j_database


def new_run_id() -> str:
    return f"run-{uuid4().hex}"


def now_utc() -> datetime:
    return datetime.now(UTC)


async def open_slots(driver: AsyncDriver, shift_ids: Sequence[str]) -> int:
    records, _, _ = await driver.execute_query(
        OPEN_SLOTS,
        {"shiftIds": list(shift_ids), "active": BOOKED_STATUSES},
        database_=_db(),
        routing_="r",
    )
    return int(records[0]["open"]) if records else 0


async def create_run(
    driver: AsyncDriver,
    *,
    association: str,
    shift_ids: Sequence[str],
    urgent: bool,
    allow_exchange: bool,
    kind: str = "REQUEST",
    exclude_volunteers: Sequence[str] = (),
    requested_by: str | None = None,
    run_id: str | None = None,
) -> dict[str, Any]:
    """Create a QUEUED run for `shift_ids` (all of `association`); returns the node's properties."""
    records, _, _ = await driver.execute_query(
        CREATE_RUN,
        {
            "id": run_id or new_run_id(),
            "urgent": urgent,
            "allowExchange": allow_exchange,
            "association": association,
            "shiftIds": list(shift_ids),
            "active": BOOKED_STATUSES,
            "now": now_utc(),
            "kind": kind,
            "exclude": sorted(set(exclude_volunteers)),
            "requestedBy": requested_by,
        },
        database_=_db(),
    )
    return dict(records[0]["run"])


async def get_run(driver: AsyncDriver, run_id: str) -> dict[str, Any] | None:
    records, _, _ = await driver.execute_query(
        GET_RUN, {"id": run_id}, database_=_db(), routing_="r"
    )
    return dict(records[0]["run"]) if records else None


async def get_runs(driver: AsyncDriver, run_ids: Sequence[str]) -> list[dict[str, Any] | None]:
    """Runs in the order of `run_ids` (None where missing) — the shape a DataLoader wants."""
    records, _, _ = await driver.execute_query(
        GET_RUNS, {"ids": list(run_ids)}, database_=_db(), routing_="r"
    )
    by_id = {r["run"]["id"]: dict(r["run"]) for r in records}
    return [by_id.get(i) for i in run_ids]


async def mark_running(
    driver: AsyncDriver, run_id: str, progress: float = 0.0
) -> tuple[dict[str, Any] | None, bool]:
    """(run, startable): startable is False when the run is missing or already finished.
    A startable run is RUNNING afterwards, its progress at least `progress`."""
    records, _, _ = await driver.execute_query(
        MARK_RUNNING, {"id": run_id, "now": now_utc(), "progress": float(progress)},
        database_=_db(),
    )
    if not records:
        return None, False
    return dict(records[0]["run"]), bool(records[0]["startable"])


async def set_progress(driver: AsyncDriver, run_id: str, progress: float) -> bool:
    """Raise the run's progress (never lowers it); True when it changed."""
    records, _, _ = await driver.execute_query(
        SET_PROGRESS, {"id": run_id, "progress": float(progress)}, database_=_db()
    )
    return bool(records)


async def set_slots_total(
    driver: AsyncDriver, run_id: str, slots_total: int, progress: float = 0.0
) -> bool:
    """Record the loaded problem's slot count and raise the progress; False when the run is
    no longer RUNNING."""
    records, _, _ = await driver.execute_query(
        SET_SLOTS_TOTAL,
        {"id": run_id, "slotsTotal": int(slots_total), "progress": float(progress)},
        database_=_db(),
    )
    return bool(records)


async def set_timings(driver: AsyncDriver, run_id: str, timings_json: str) -> None:
    await driver.execute_query(
        SET_TIMINGS, {"id": run_id, "timings": timings_json}, database_=_db()
    )


async def mark_failed(driver: AsyncDriver, run_id: str, error: str) -> dict[str, Any] | None:
    records, _, _ = await driver.execute_query(
        MARK_FAILED, {"id": run_id, "error": error, "now": now_utc()}, database_=_db()
    )
    return dict(records[0]["run"]) if records else None


async def run_assignment_ids(
    driver: AsyncDriver, run_id: str, *, skip: int, limit: int
) -> list[str]:
    """A page of the run's assignment ids in id order; ask for one more than you show to know
    whether there is a next page."""
    records, _, _ = await driver.execute_query(
        RUN_ASSIGNMENT_PAGE,
        {"id": run_id, "skip": skip, "limit": limit},
        database_=_db(),
        routing_="r",
    )
    return [r["id"] for r in records]


async def run_assignment_count(driver: AsyncDriver, run_id: str) -> int:
    records, _, _ = await driver.execute_query(
        RUN_ASSIGNMENT_COUNT, {"id": run_id}, database_=_db(), routing_="r"
    )
    return int(records[0]["n"])


# The run behind the shift's latest assignment tells how the coordinator asked for it (urgent,
# with or without exchange): a refill keeps that choice.
SHIFT_OWNERS: LiteralString = """
UNWIND $ids AS sid
MATCH (a:Association)-[:ORGANIZES]->(:Event)-[:HAS_SHIFT]->(s:Shift {id: sid})
CALL {
  WITH s
  OPTIONAL MATCH (s)<-[:FOR]-(x) WHERE x.runId IS NOT NULL
  WITH x ORDER BY x.createdAt DESC, x.id DESC LIMIT 1
  OPTIONAL MATCH (r:MatchingRun {id: x.runId})
  RETURN r.urgent AS runUrgent, r.allowExchange AS runAllowExchange
}
RETURN s.id AS id, a.id AS association, coalesce(s.urgent, false) AS urgent,
       coalesce(runUrgent, false) AS runUrgent, coalesce(runAllowExchange, true) AS allowExchange
"""


async def shift_owners(driver: AsyncDriver, shift_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """shift id -> {association, urgent, runUrgent, allowExchange} for the shifts that exist
    (missing ids are absent); ``runUrgent`` / ``allowExchange`` are those of the run behind the
    shift's latest assignment (False / True when it has none)."""
    records, _, _ = await driver.execute_query(
        SHIFT_OWNERS, {"ids": list(shift_ids)}, database_=_db(), routing_="r"
    )
    return {
        r["id"]: {
            "association": r["association"],
            "urgent": r["urgent"],
            "runUrgent": r["runUrgent"],
            "allowExchange": r["allowExchange"],
        }
        for r in records
    }
