"""Commit a matching result: ONE write transaction, exactly once per run, never a double booking.

The transaction function is idempotent, so the driver may retry it and arq may re-run the job
after a crash:
1. lock the run node; if it already SUCCEEDED or PRODUCED assignments, stop (exactly once);
2. lock the volunteers in ascending id order, then the shifts (`bookingVersion` bumps), so
   concurrent commits touching the same people serialise instead of racing, then the lenders
   it borrows from (ascending id, `loanVersion`), so commits spending one lender's quota do;
3. re-read, under those locks, each volunteer's active bookings and maxHoursWeek, each need's
   filled count and each lender's current loans, and drop any proposed assignment that now
   overlaps (or breaks the minimum rest), pushes an ISO week (local time, INSTANCE.md) past the
   volunteer's maxHoursWeek, overfills its need or exceeds the lender's quota — its slot is
   reported unfilled (ALL_CANDIDATES_BUSY / LENDER_QUOTA);
4. create the Assignment nodes (PROPOSED), their ExchangeRequests, and finish the run.

Lock order, the same on every write path that books (graph/assignments.py too): the run (its
own node, no other path locks it), volunteers ascending id, shifts ascending id, lenders
ascending id (associations come last in the global order). The other nodes a new assignment
only links to (Skill via AS, the borrower Association) are never SET: Neo4j 5 takes
only a shared delete-prevention lock on them while the statement runs and its exclusive
relationship locks at commit, sorted internally, so they add no ordering of their own (and on a
dense node, such as a real skill, concurrent commits do not serialise on it).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any, LiteralString
from uuid import NAMESPACE_URL, uuid5
from zoneinfo import ZoneInfo

from neo4j import AsyncDriver, AsyncManagedTransaction

from engine.scheduling.time_rules import local_midnight
from engine.scheduling.weekly_hours import HOURS_TOLERANCE, IsoWeek, week_hours
from graph.assignment_reads import BOOKED_STATUSES
from graph.cypher_runner import tx_rows
from graph.matching_load import ACTIVE_STATUSES, DEFAULT_RULES, LoadedProblem, to_datetime
from graph.settings import get_settings

REASON_BUSY = "ALL_CANDIDATES_BUSY"
REASON_QUOTA = "LENDER_QUOTA"

LOCK_RUN: LiteralString = """
MATCH (r:MatchingRun {id: $runId})
SET r.commitVersion = coalesce(r.commitVersion, 0) + 1
WITH r
OPTIONAL MATCH (r)-[:PRODUCED]->(x:Assignment)
RETURN r.status AS status, count(x) AS produced
"""

SETTLE_RUN: LiteralString = """
MATCH (r:MatchingRun {id: $runId})
SET r.status = 'SUCCEEDED', r.progress = 1.0, r.finishedAt = coalesce(r.finishedAt, $now)
"""

LOCK_VOLUNTEERS: LiteralString = """
UNWIND $ids AS vid
MATCH (v:Volunteer {id: vid})
SET v.bookingVersion = coalesce(v.bookingVersion, 0) + 1
RETURN v.id AS volunteer, coalesce(v.maxHoursWeek, 0.0) AS maxHoursWeek
"""

LOCK_SHIFTS: LiteralString = """
UNWIND $ids AS sid
MATCH (s:Shift {id: sid})
SET s.bookingVersion = coalesce(s.bookingVersion, 0) + 1
RETURN count(s) AS locked
"""

# The lenders whose quota the commit spends, locked before their loans are counted: two
# commits lending different volunteers of one lender lock no volunteer in common, so without
# this both would count the same loans and both lend (past the quota).
LOCK_LENDERS: LiteralString = """
UNWIND $ids AS aid
MATCH (a:Association {id: aid})
SET a.loanVersion = coalesce(a.loanVersion, 0) + 1
RETURN count(a) AS locked
"""

# (v)-[:ASSIGNED]->(x) and (s)<-[:FOR]-(x) without the Assignment label, as in
# graph.matching_load: the label lets the planner seek the Assignment(status) index per row.
BOOKINGS_OF: LiteralString = """
UNWIND $ids AS vid
MATCH (v:Volunteer {id: vid})-[:ASSIGNED]->(x)
WHERE x.status IN $active AND x.endsAt >= $from AND x.startsAt <= $to
RETURN vid AS volunteer, x.startsAt AS start, x.endsAt AS end, x.eventId AS event
"""

NEEDS_OF: LiteralString = """
UNWIND $ids AS sid
MATCH (e:Event)-[:HAS_SHIFT]->(s:Shift {id: sid})-[n:NEEDS]->(k:Skill)
OPTIONAL MATCH (s)<-[:FOR]-(x) WHERE x.status IN $active AND x.needIndex = n.index
RETURN sid AS shift, n.index AS needIndex, n.count AS count, k.code AS skill, count(x) AS filled,
       s.startsAt AS start, s.endsAt AS end, e.id AS event
"""

# One pass over the active loans of the named lenders (lenders without any are absent): per
# lender, the planner sought every active assignment in the graph and joined (0.18 s for 10
# lenders with 25K active assignments on the 250K seed, inside the locked transaction).
LENT_NOW: LiteralString = """
MATCH (x:Assignment)-[:LENT_BY]->(a:Association)
WHERE x.status IN $active AND a.id IN $ids
MATCH (v:Volunteer)-[:ASSIGNED]->(x)
RETURN a.id AS lender, collect(DISTINCT v.id) AS volunteers
"""

CREATE_ASSIGNMENTS: LiteralString = """
MATCH (r:MatchingRun {id: $runId})
UNWIND $rows AS row
MATCH (v:Volunteer {id: row.volunteer})
MATCH (s:Shift {id: row.shift})
MATCH (k:Skill {code: row.skill})
CREATE (x:Assignment {
  id: row.id, status: 'PROPOSED', needIndex: row.needIndex, viaExchange: row.lender IS NOT NULL,
  cost: row.cost, termNames: row.termNames, termValues: row.termValues,
  startsAt: s.startsAt, endsAt: s.endsAt, eventId: row.event, createdAt: $now, updatedAt: $now,
  history: [row.history], hours: null, runId: $runId
})
CREATE (v)-[:ASSIGNED]->(x)-[:FOR]->(s)
CREATE (x)-[:AS]->(k)
CREATE (r)-[:PRODUCED]->(x)
WITH x, row
CALL {
  WITH x, row
  MATCH (l:Association {id: row.lender})
  CREATE (x)-[:LENT_BY]->(l)
}
RETURN count(x) AS created
"""

CREATE_EXCHANGE_REQUESTS: LiteralString = """
UNWIND $rows AS row
MATCH (x:Assignment {id: row.assignment})
MATCH (b:Association {id: $borrower})
MATCH (l:Association {id: row.lender})
CREATE (q:ExchangeRequest {id: row.id, status: row.status, createdAt: $now,
                           decidedAt: row.decidedAt})
CREATE (q)-[:BORROWER]->(b), (q)-[:LENDER]->(l), (q)-[:FOR]->(x)
RETURN count(q) AS created
"""

FINISH_RUN: LiteralString = """
MATCH (r:MatchingRun {id: $runId})
SET r.status = 'SUCCEEDED', r.progress = 1.0, r.slotsFilled = $filled, r.exchanged = $exchanged,
    r.totalCost = $totalCost, r.unfilled = $unfilled, r.finishedAt = $now, r.error = null,
    r.slotsTotal = $slotsTotal
RETURN r {.*} AS run
"""


@dataclass(frozen=True)
class CommitSummary:
    committed: bool  # False when an earlier attempt had already committed this run
    status: str
    slots_filled: int
    exchanged: int
    dropped: int
    total_cost: float | None
    run: dict[str, Any] | None = None  # the run node as committed (None when nothing was)


@dataclass(frozen=True)
class _Proposal:
    shift: str
    need_index: int  # graph NEEDS.index
    volunteer: str
    lender: str | None
    cost: float
    terms: dict[str, float]


def assignment_id(run_id: str, shift: str, need_index: int, volunteer: str) -> str:
    """Deterministic: the same run never creates the same assignment twice."""
    return "asg-" + uuid5(NAMESPACE_URL, f"tahaluf/{run_id}/{shift}/{need_index}/{volunteer}").hex


def exchange_request_id(assignment: str) -> str:
    return "exr-" + uuid5(NAMESPACE_URL, f"tahaluf/exchange/{assignment}").hex


def _proposals(problem: LoadedProblem, result: Mapping[str, Any]) -> list[_Proposal]:
    proposals: list[_Proposal] = []
    for a in result.get("assignments", []):
        key = (str(a["shift"]), int(a["need"]))
        if key not in problem.need_index:
            raise ValueError(
                f"result names need {key[1]} of shift {key[0]} which the run did not ask"
            )
        terms = a.get("terms") or {}
        proposals.append(
            _Proposal(
                shift=key[0],
                need_index=problem.need_index[key],
                volunteer=str(a["volunteer"]),
                lender=a.get("lender"),
                cost=float(a.get("cost", 0.0)),
                terms={str(k): float(v) for k, v in sorted(terms.items())},
            )
        )
    proposals.sort(key=lambda p: (p.shift, p.need_index, p.volunteer))
    return proposals


def _engine_reasons(
    problem: LoadedProblem, result: Mapping[str, Any]
) -> dict[tuple[str, int], list[str]]:
    reasons: dict[tuple[str, int], list[str]] = defaultdict(list)
    for u in result.get("unfilled", []):
        key = (str(u["shift"]), int(u["need"]))
        graph_key = (key[0], problem.need_index.get(key, key[1]))
        reasons[graph_key].extend([str(u.get("reason") or REASON_BUSY)] * int(u.get("count", 1)))
    return reasons


def conflicts(
    start: datetime,
    end: datetime,
    event: str | None,
    booked: Sequence[tuple[datetime, datetime, str | None]],
    min_rest: timedelta,
) -> bool:
    """True when [start, end) overlaps a booking or sits closer than `min_rest` to one —
    unless the two are back to back within the same event."""
    for b_start, b_end, b_event in booked:
        if start < b_end and b_start < end:
            return True
        gap = max(b_start - end, start - b_end)
        if gap == timedelta(0) and event is not None and event == b_event:
            continue
        if gap < min_rest:
            return True
    return False


def week_bounds(start: datetime, end: datetime, zone: tzinfo) -> tuple[datetime, datetime]:
    """The local Monday 00:00 opening the ISO week of `start` and the one after `end`'s week:
    every booking that can count towards a week [start, end) touches lies in between."""
    first = start.astimezone(zone).date()
    last = (end - timedelta(microseconds=1)).astimezone(zone).date()
    return (
        local_midnight(first - timedelta(days=first.isoweekday() - 1), zone),
        local_midnight(last + timedelta(days=8 - last.isoweekday()), zone),
    )


def exceeds_week(
    start: datetime,
    end: datetime,
    booked: Sequence[tuple[datetime, datetime, str | None]],
    max_hours: float,
    zone: tzinfo,
) -> bool:
    """True when adding [start, end) pushes some local ISO week it touches past `max_hours`,
    counting the real hours of every booking in that week."""
    added = week_hours(start, end, zone)
    used: dict[IsoWeek, float] = {}
    for b_start, b_end, _ in booked:
        for week, h in week_hours(b_start, b_end, zone).items():
            if week in added:
                used[week] = used.get(week, 0.0) + h
    return any(used.get(w, 0.0) + h > max_hours + HOURS_TOLERANCE for w, h in added.items())


async def _commit_tx(
    tx: AsyncManagedTransaction,
    run_id: str,
    problem: LoadedProblem,
    proposals: list[_Proposal],
    engine_reasons: dict[tuple[str, int], list[str]],
    shift_ids: list[str],
    now: datetime,
) -> CommitSummary:
    head = await tx_rows(tx, LOCK_RUN, {"runId": run_id})
    if not head:
        raise LookupError(f"matching run {run_id} not found")
    status, produced = head[0]["status"], int(head[0]["produced"])
    if status in ("SUCCEEDED", "FAILED"):
        return CommitSummary(False, status, 0, 0, 0, None)
    if produced > 0:  # committed by an earlier attempt: only make sure the run reads finished
        await tx_rows(tx, SETTLE_RUN, {"runId": run_id, "now": now})
        return CommitSummary(False, "SUCCEEDED", 0, 0, 0, None)

    volunteer_ids = sorted({p.volunteer for p in proposals})
    max_week: dict[str, float] = {}
    if volunteer_ids:
        for r in await tx_rows(tx, LOCK_VOLUNTEERS, {"ids": volunteer_ids}):
            max_week[r["volunteer"]] = float(r["maxHoursWeek"])
    await tx_rows(tx, LOCK_SHIFTS, {"ids": sorted(set(shift_ids))})

    needs = await tx_rows(tx, NEEDS_OF, {"ids": sorted(set(shift_ids)), "active": BOOKED_STATUSES})
    need_info = {(r["shift"], int(r["needIndex"])): r for r in needs}
    shift_time = {
        r["shift"]: (to_datetime(r["start"]), to_datetime(r["end"]), r["event"]) for r in needs
    }

    rules = problem.instance.get("rules") or {}
    zone = ZoneInfo(str(rules.get("timezone") or DEFAULT_RULES["timezone"]))
    booked: dict[str, list[tuple[datetime, datetime, str | None]]] = defaultdict(list)
    if volunteer_ids and shift_time:
        min_rest = timedelta(hours=float(rules.get("minRestHours", 8)))
        weeks = [week_bounds(t[0], t[1], zone) for t in shift_time.values()]
        window_from = min(
            min(t[0] for t in shift_time.values()) - min_rest - timedelta(days=1),
            min(w[0] for w in weeks),
        )
        window_to = max(
            max(t[1] for t in shift_time.values()) + min_rest + timedelta(days=1),
            max(w[1] for w in weeks),
        )
        for r in await tx_rows(
            tx,
            BOOKINGS_OF,
            {
                "ids": volunteer_ids,
                "active": BOOKED_STATUSES,
                "from": window_from,
                "to": window_to,
            },
        ):
            booked[r["volunteer"]].append(
                (to_datetime(r["start"]), to_datetime(r["end"]), r["event"])
            )
    else:
        min_rest = timedelta(hours=float(DEFAULT_RULES["minRestHours"]))

    lenders = sorted({p.lender for p in proposals if p.lender})
    lent_now: dict[str, set[str]] = {}
    if lenders:
        await tx_rows(tx, LOCK_LENDERS, {"ids": lenders})
        for r in await tx_rows(tx, LENT_NOW, {"ids": lenders, "active": ACTIVE_STATUSES}):
            lent_now[r["lender"]] = set(r["volunteers"])

    filled = {k: int(r["filled"]) for k, r in need_info.items()}
    accepted: list[_Proposal] = []
    dropped: dict[tuple[str, int], list[str]] = defaultdict(list)
    for p in proposals:
        key = (p.shift, p.need_index)
        info = need_info.get(key)
        if info is None or p.shift not in shift_time:
            continue
        start, end, event = shift_time[p.shift]
        if filled[key] >= int(info["count"]):
            continue  # the slot was filled meanwhile: not empty, nothing to report
        if conflicts(start, end, event, booked[p.volunteer], min_rest):
            dropped[key].append(REASON_BUSY)
            continue
        if exceeds_week(start, end, booked[p.volunteer], max_week.get(p.volunteer, 0.0), zone):
            dropped[key].append(REASON_BUSY)  # weekly hours: busy, as the engine reports it
            continue
        if p.lender:
            lent = lent_now.setdefault(p.lender, set())
            quota = problem.lender_quota.get(p.lender, 0)
            if p.volunteer not in lent and len(lent) >= quota:
                dropped[key].append(REASON_QUOTA)
                continue
            lent.add(p.volunteer)
        filled[key] += 1
        booked[p.volunteer].append((start, end, event))
        accepted.append(p)

    rows = []
    for p in accepted:
        aid = assignment_id(run_id, p.shift, p.need_index, p.volunteer)
        rows.append(
            {
                "id": aid,
                "volunteer": p.volunteer,
                "shift": p.shift,
                "needIndex": p.need_index,
                "skill": need_info[(p.shift, p.need_index)]["skill"],
                "lender": p.lender,
                "cost": p.cost,
                "termNames": list(p.terms),
                "termValues": list(p.terms.values()),
                "event": shift_time[p.shift][2],
                "history": f"PROPOSED|{now.isoformat()}|run:{run_id}",
            }
        )
    if rows:
        await tx_rows(tx, CREATE_ASSIGNMENTS, {"runId": run_id, "rows": rows, "now": now})

    loans = [r for r in rows if r["lender"]]
    if loans:
        await tx_rows(
            tx,
            CREATE_EXCHANGE_REQUESTS,
            {
                "borrower": problem.association,
                "now": now,
                "rows": [
                    {
                        "id": exchange_request_id(r["id"]),
                        "assignment": r["id"],
                        "lender": r["lender"],
                        "status": "PENDING"
                        if problem.requires_approval.get(r["lender"], True)
                        else "APPROVED",
                        "decidedAt": None
                        if problem.requires_approval.get(r["lender"], True)
                        else now,
                    }
                    for r in loans
                ],
            },
        )

    unfilled: list[dict[str, Any]] = []
    for key in sorted(need_info):
        empty = int(need_info[key]["count"]) - filled[key]
        if empty <= 0:
            continue
        reasons = dropped.get(key, []) + engine_reasons.get(key, [])
        for i in range(empty):
            unfilled.append(
                {
                    "shiftId": key[0],
                    "needIndex": key[1],
                    "skill": need_info[key]["skill"],
                    "reason": reasons[i] if i < len(reasons) else REASON_BUSY,
                }
            )

    total_cost = round(sum(p.cost for p in accepted), 6)
    finished = await tx_rows(
        tx,
        FINISH_RUN,
        {
            "runId": run_id,
            "filled": len(accepted),
            "exchanged": len(loans),
            "totalCost": total_cost,
            "unfilled": json.dumps(unfilled, ensure_ascii=False),
            "slotsTotal": len(accepted) + len(unfilled),
            "now": now,
        },
    )
    return CommitSummary(
        True,
        "SUCCEEDED",
        len(accepted),
        len(loans),
        sum(len(v) for v in dropped.values()),
        total_cost,
        dict(finished[0]["run"]) if finished else None,
    )


async def commit_result(
    driver: AsyncDriver,
    *,
    run_id: str,
    shift_ids: Sequence[str],
    problem: LoadedProblem,
    result: Mapping[str, Any],
) -> CommitSummary:
    """Write `result` for run `run_id` in one idempotent transaction (see the module doc)."""
    proposals = _proposals(problem, result)
    reasons = _engine_reasons(problem, result)
    now = datetime.now(UTC)
    async with driver.session(database=get_settings().neo4j_database) as session:
        return await session.execute_write(
            _commit_tx, run_id, problem, proposals, reasons, list(shift_ids), now
        )
