"""Neo4j -> a matching problem in the INSTANCE.md format, in a few batched reads.

The worker hands the dict to `engine.matching.instance.parse_instance`: one way into the
engine, whether the problem comes from a file or from the graph.

What is read, for one MatchingRun:
1. the run's shifts with their needs, the count already filled by active assignments, and
   the volunteers who already declined / were cancelled / expired on them;
2. the pool of associations: the requester, plus (when the run allows exchange) every
   association that lends to it, with its active member count and how many of its members
   are lent right now (so the quota accounts for loans made by earlier runs);
3. the skill catalogue with implications (1-3 run concurrently);
4. candidate volunteer ids, pre-filtered by skill (directly or through IMPLIES*), level,
   expiry, gender, activity, membership of the pool and travel reach: on a large graph from
   the worker's in-memory index (graph.matching_positions, no Cypher), also by weekly
   availability, the cheapest few per slot by the engine's estimated cost; on a small one by
   one Cypher filter, nearest first;
5. those candidates' details and their active bookings around the run's dates, fresh, in one
   statement returning one record (the engine checks every rule on these).
"""

from __future__ import annotations

import asyncio
import json
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, LiteralString

from neo4j import AsyncDriver
from neo4j.time import DateTime as NeoDateTime

from graph.assignment_reads import ACTIVE_STATUSES, BOOKED_STATUSES
from graph.cypher_runner import STATEMENTS
from graph.matching_positions import CostWeights, PositionIndex
from graph.matching_reads import read_matching_rows

# A volunteer who declined, was cancelled or let a proposal expire is not asked again.
EXCLUDING_STATUSES = ["DECLINED", "CANCELLED", "EXPIRED"]

INSTANCE_FORMAT = "tahaluf-instance/1"
DEFAULT_RULES: dict[str, Any] = {"minRestHours": 8, "timezone": "Africa/Cairo"}
DEFAULT_WEIGHTS: dict[str, float] = {
    "distanceKm": 1.0,
    "overLevel": 5.0,
    "hoursThisMonth": 0.5,
    "unreliability": 20.0,
    "exchange": 15.0,
    "unfilled": 10000.0,
    "urgentUnfilled": 100000.0,
}
# Bookings this far around the run's shifts matter (weekly hours and rest between shifts).
BOOKING_MARGIN = timedelta(days=8)
# Cypher's WGS-84 distance and the engine's haversine differ slightly: keep a margin so the
# pre-filter never drops someone the engine would accept (the engine checks exactly).
TRAVEL_SLACK_FACTOR = 1.01
TRAVEL_SLACK_M = 500.0
KM_PER_DEGREE_LAT = 111.19
# Candidates kept per need (cheapest first among the available, see graph.matching_positions):
# enough for the engine to choose well without shipping tens of thousands of volunteers for a
# few slots. On the bench's 100-slot Cairo requests (8 hours of two days) 4 per slot already
# gave the same fill and total cost as keeping every available holder in reach (up to 12,000);
# 8 leaves room for candidates the fresh read finds booked, blacked out or over their hours.
# (Nearest-first without availability kept 25 per slot, 2,270 volunteers of whom ~8 % could
# serve, at 17-30 % more total cost.)
CANDIDATES_PER_SLOT = 8
# The Cypher filter of small graphs knows no availability: it keeps the nearest 25 per slot.
NEAREST_PER_SLOT = 25
CANDIDATES_MIN = 50
# A run whose engine leaves slots of a cut-short list empty is loaded and solved once more
# with this many times the candidates (the index knows no bookings: under demand concentrated
# on one time and place, the cheapest may all be booked while others further away are free).
WIDEN_FACTOR = 4

# Assignments are reached from the node at hand WITHOUT their label ((s)<-[:FOR]-(x),
# (v)-[:ASSIGNED]->(x); only Assignments sit at the end of those relationships): with the label,
# the planner, on statistics taken while few assignments were active, seeks the
# Assignment(status) index once per shift / volunteer and joins (Expand(Into)), a cost that
# grows with EVERY active assignment in the graph. Measured on the 250K seed: the candidates'
# details went from 0.4 s to 1.8 s over 20 urgent runs of 100 assignments each. Without a label
# the index cannot apply and the read expands each node's own few relationships.
LOAD_SHIFTS: LiteralString = """
UNWIND $shiftIds AS sid
MATCH (a:Association)-[:ORGANIZES]->(e:Event)-[:HAS_SHIFT]->(s:Shift {id: sid})
CALL {
  WITH s
  MATCH (s)-[n:NEEDS]->(k:Skill)
  OPTIONAL MATCH (s)<-[:FOR]-(x)
    WHERE x.status IN $active AND x.needIndex = n.index
  WITH n, k, count(x) AS filled
  ORDER BY n.index
  RETURN collect({index: n.index, skill: k.code, count: n.count, minLevel: coalesce(n.minLevel, 1),
                  gender: n.gender, minAge: n.minAge, filled: filled}) AS needs
}
CALL {
  WITH s
  OPTIONAL MATCH (s)<-[:FOR]-(old)<-[:ASSIGNED]-(ov:Volunteer)
    WHERE old.status IN $excluding
  RETURN collect(DISTINCT ov.id) AS excluded
}
RETURN s.id AS id, e.id AS event, a.id AS association, e.lat AS lat, e.lon AS lon,
       s.startsAt AS start, s.endsAt AS end, coalesce(s.urgent, false) AS urgent,
       needs, excluded
"""

# The loans are counted in ONE pass before the pool is bound (an uncorrelated CALL runs once):
# counted per association inside the UNWIND, the planner sought every active assignment through
# the Assignment(status) index once per association and joined (Expand(Into)), 0.49 s per run
# on the 250K seed with 25K active assignments (3 ms with none).
LOAD_POOL: LiteralString = """
CALL {
  MATCH (x:Assignment)-[:LENT_BY]->(lender:Association)
  WHERE x.status IN $active
  MATCH (v:Volunteer)-[:ASSIGNED]->(x)
  WITH lender.id AS lender, count(DISTINCT v) AS n
  RETURN collect({id: lender, n: n}) AS loans
}
MATCH (req:Association {id: $association})
OPTIONAL MATCH (l:Association)
  WHERE $allowExchange AND l.id <> req.id AND coalesce(l.lends, false)
    AND (coalesce(l.lendsToAll, true) OR EXISTS { (l)-[:SHARES_WITH]->(req) })
WITH loans, req, collect(l) AS lenders
UNWIND [req] + lenders AS a
OPTIONAL MATCH (a)-[sw:SHARES_WITH]->(req)
CALL {
  WITH a
  // the relationship count is read from the node's degree, no volunteer is touched;
  // inactive members (few, found through the active index) are subtracted below
  RETURN COUNT { (a)<-[:MEMBER_OF]-() } AS members
}
RETURN a.id AS id, a.id = req.id AS requester, coalesce(a.lends, false) AS lends,
       coalesce(sw.maxShare, a.maxShare, 0.0) AS maxShare,
       coalesce(sw.requiresApproval, a.requiresApproval, true) AS requiresApproval,
       coalesce(a.lendsToAll, true) AS lendsToAll,
       coalesce(a.lentHours, 0.0) AS lentHours, coalesce(a.borrowedHours, 0.0) AS borrowedHours,
       members, coalesce([p IN loans WHERE p.id = a.id | p.n][0], 0) AS lent
"""

# Volunteers changed after the candidate index was loaded (Volunteer(changedAt) index).
CHANGED_SINCE: LiteralString = """
MATCH (v:Volunteer) WHERE v.changedAt >= $since
  AND coalesce(v.active, true) AND NOT v.id IN $exclude
  AND EXISTS { MATCH (v)-[:MEMBER_OF]->(m:Association) WHERE m.id IN $pool }
RETURN v.id AS id ORDER BY v.changedAt DESC, v.id LIMIT $limit
"""
CHANGED_SLACK = timedelta(minutes=1)
CHANGED_LIMIT = 2000
#: holders set aside by the pre-filter, read for a need left with nobody (its true reason)
WITNESSES = 3

CANDIDATE_IDS: LiteralString = """
UNWIND $needs AS need
MATCH (q:Skill) WHERE q.code IN need.qualifying
MATCH (v:Volunteer)-[h:HAS_SKILL]->(q)
WHERE h.level >= need.minLevel
  AND (h.expiresAt IS NULL OR h.expiresAt > need.end)
  AND coalesce(v.active, true)
  AND (need.gender IS NULL OR v.gender = need.gender)
  AND abs(v.lat - need.lat) * $kmPerDegree <= coalesce(v.maxTravelKm, 0.0) + 1.0
WITH need, v, point.distance(point({latitude: v.lat, longitude: v.lon}),
                             point({latitude: need.lat, longitude: need.lon})) AS metres
WHERE metres <= coalesce(v.maxTravelKm, 0.0) * 1000.0 * $slackFactor + $slackM
  AND NOT v.id IN $exclude
  AND EXISTS { MATCH (v)-[:MEMBER_OF]->(m:Association) WHERE m.id IN $pool }
RETURN DISTINCT need.key AS need, v.id AS id, metres
"""

# One record holding a list of maps (not one record per volunteer: the async driver pays about
# 0.1 ms of CPU per record, a third of this read for a 100-slot request). DateTimes travel as
# [epochSeconds, nanosecond] pairs: the driver's neo4j.time hydration is pure Python, ~0.1 ms
# each, and was half of this read's client CPU (one expiry per held skill).
CANDIDATE_DETAILS: LiteralString = """
UNWIND $ids AS vid
MATCH (v:Volunteer {id: vid})
CALL {
  WITH v
  MATCH (v)-[h:HAS_SKILL]->(k:Skill)
  RETURN collect({code: k.code, level: h.level,
                  expiresAt: [h.expiresAt.epochSeconds, h.expiresAt.nanosecond]}) AS skills
}
CALL {
  WITH v
  MATCH (v)-[:MEMBER_OF]->(m:Association) WHERE m.id IN $pool
  RETURN collect(m.id) AS associations
}
CALL {
  WITH v
  OPTIONAL MATCH (v)-[:ASSIGNED]->(x)
    WHERE x.status IN $active AND x.endsAt >= $from AND x.startsAt <= $to
  RETURN collect({start: [x.startsAt.epochSeconds, x.startsAt.nanosecond],
                  end: [x.endsAt.epochSeconds, x.endsAt.nanosecond], event: x.eventId}) AS booked
}
WITH v, skills, associations, booked ORDER BY v.id
RETURN collect({
  id: v.id, gender: v.gender, birthYear: v.birthYear, lat: v.lat, lon: v.lon,
  maxTravelKm: coalesce(v.maxTravelKm, 0.0), maxHoursWeek: coalesce(v.maxHoursWeek, 0.0),
  reliability: coalesce(v.reliability, 1.0), hoursThisMonth: coalesce(v.hoursThisMonth, 0.0),
  active: coalesce(v.active, true), availability: v.availability, blackouts: v.blackouts,
  skills: skills, associations: associations, booked: booked
}) AS volunteers
"""

# From the (few) inactive volunteers through the active index, not from each association's
# members: the planner otherwise expands every membership of the pool (550K db hits on 250K).
INACTIVE_MEMBERS: LiteralString = """
MATCH (v:Volunteer) USING INDEX v:Volunteer(active) WHERE v.active = false
MATCH (v)-[:MEMBER_OF]->(a:Association) WHERE a.id IN $pool
RETURN a.id AS id, count(v) AS inactive
"""

SKILL_CATALOGUE: LiteralString = """
MATCH (k:Skill)
OPTIONAL MATCH (k)-[:IMPLIES]->(j:Skill)
WITH k, j ORDER BY j.code
RETURN k.code AS code, collect(j.code) AS implies
ORDER BY code
"""


class LoadError(Exception):
    """The run cannot be turned into a problem (its shifts vanished, mixed owners, ...)."""


@dataclass(frozen=True)
class LoadedProblem:
    """An INSTANCE.md dict plus what committing its result needs to know."""

    instance: dict[str, Any]
    # (shift id, index in the instance's needs) -> NEEDS.index in the graph
    need_index: dict[tuple[str, int], int]
    # (shift id, graph need index) -> skill code
    need_skill: dict[tuple[str, int], str]
    # open slots per (shift id, graph need index)
    open_slots: dict[tuple[str, int], int]
    slots_total: int
    association: str
    # lender id -> does each loan need its approval
    requires_approval: dict[str, bool] = field(default_factory=dict)
    # lender id -> floor(maxShare x active members), the quota over all its current loans
    lender_quota: dict[str, int] = field(default_factory=dict)
    # (shift id, index in the instance's needs) whose candidate list was cut at the cap
    cut_short: frozenset[tuple[str, int]] = frozenset()
    # how the load went (seconds per phase, statements, volunteers): for the run's timing log
    stats: dict[str, float] = field(default_factory=dict)


def iso(value: Any) -> str | None:
    """Neo4j DateTime / Python datetime -> ISO 8601 with offset."""
    if value is None:
        return None
    if isinstance(value, NeoDateTime):
        value = value.to_native()
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def epoch_iso(pair: Sequence[int | None]) -> str | None:
    """An [epochSeconds, nanosecond] pair (as the Cypher above returns DateTimes) -> ISO 8601
    in UTC, to the microsecond like `iso` (None for a missing value)."""
    seconds, nanos = pair
    if seconds is None:
        return None
    moment = datetime.fromtimestamp(seconds, UTC) + timedelta(microseconds=(nanos or 0) // 1000)
    return moment.isoformat()


def to_datetime(value: Any) -> datetime:
    if isinstance(value, NeoDateTime):
        return value.to_native()  # type: ignore[no-any-return]
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _json_list(raw: Any) -> list[Any]:
    if raw is None or raw == "":
        return []
    if isinstance(raw, list):
        return raw
    try:
        value = json.loads(raw)
    except (TypeError, ValueError):
        return []
    return value if isinstance(value, list) else []


def exact_quota(max_share: float, members: int) -> int:
    """floor(maxShare x members), computed so that 0.2 x 15 is 3 (not 2.9999...)."""
    return int(math.floor(round(max_share * members, 9)))


def _instance_share(remaining: int, instance_members: int) -> float:
    """The maxShare to write into the instance so that the engine's quota, computed over the
    members present in the instance, equals the lender's REMAINING quota (its full quota minus
    volunteers already lent by earlier runs)."""
    if remaining <= 0 or instance_members <= 0:
        return 0.0
    if remaining >= instance_members:
        return 1.0
    return (remaining + 0.5) / instance_members


def _shift_rows_to_instance(
    rows: Sequence[Mapping[str, Any]], urgent_run: bool
) -> tuple[
    list[dict[str, Any]],
    dict[tuple[str, int], int],
    dict[tuple[str, int], str],
    dict[tuple[str, int], int],
    set[str],
]:
    shifts: list[dict[str, Any]] = []
    need_index: dict[tuple[str, int], int] = {}
    need_skill: dict[tuple[str, int], str] = {}
    open_slots: dict[tuple[str, int], int] = {}
    excluded: set[str] = set()
    for row in rows:
        excluded.update(v for v in row["excluded"] if v)
        needs: list[dict[str, Any]] = []
        for need in row["needs"]:
            need_skill[(row["id"], int(need["index"]))] = need["skill"]
            remaining = int(need["count"]) - int(need["filled"])
            if remaining <= 0:
                continue
            need_index[(row["id"], len(needs))] = int(need["index"])
            open_slots[(row["id"], int(need["index"]))] = remaining
            needs.append(
                {
                    "skill": need["skill"],
                    "count": remaining,
                    "minLevel": int(need["minLevel"]),
                    "gender": need["gender"],
                    "minAge": need["minAge"],
                }
            )
        if not needs:
            continue
        shifts.append(
            {
                "id": row["id"],
                "event": row["event"],
                "association": row["association"],
                "lat": float(row["lat"]),
                "lon": float(row["lon"]),
                "start": iso(row["start"]),
                "end": iso(row["end"]),
                "urgent": bool(row["urgent"]) or urgent_run,
                "needs": needs,
            }
        )
    return shifts, need_index, need_skill, open_slots, excluded


def _volunteer_entry(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "associations": sorted(row["associations"]),
        "lat": float(row["lat"]),
        "lon": float(row["lon"]),
        "gender": row["gender"],
        "birthYear": int(row["birthYear"]) if row["birthYear"] is not None else 1990,
        "maxTravelKm": float(row["maxTravelKm"]),
        "maxHoursWeek": float(row["maxHoursWeek"]),
        "reliability": float(row["reliability"]),
        "hoursThisMonth": float(row["hoursThisMonth"]),
        "active": bool(row["active"]),
        "skills": [
            {"code": s["code"], "level": int(s["level"]), "expiresAt": epoch_iso(s["expiresAt"])}
            for s in sorted(row["skills"], key=lambda s: s["code"])
        ],
        "availability": _json_list(row["availability"]),
        "blackouts": _json_list(row["blackouts"]),
        "booked": [
            {"start": epoch_iso(b["start"]), "end": epoch_iso(b["end"]), "event": b["event"]}
            for b in sorted(row["booked"], key=lambda b: (b["start"][0], b["start"][1]))
            if b["start"][0] is not None and b["end"][0] is not None
        ],
    }


def qualifying_skills(implies: Mapping[str, Sequence[str]]) -> dict[str, set[str]]:
    """skill -> every skill that qualifies for it (itself, and all that imply it transitively)."""
    implied_by: dict[str, set[str]] = {c: set() for c in implies}
    for code, targets in implies.items():
        for t in targets:
            implied_by.setdefault(t, set()).add(code)
    out: dict[str, set[str]] = {}
    for code in implied_by:
        seen, stack = {code}, [code]
        while stack:
            for q in implied_by.get(stack.pop(), ()):
                if q not in seen:
                    seen.add(q)
                    stack.append(q)
        out[code] = seen
    return out


def candidate_cap(count: int, per_slot: int | None = None) -> int:
    return (CANDIDATES_PER_SLOT if per_slot is None else per_slot) * count + CANDIDATES_MIN


def _eligible_in_index(positions: PositionIndex, pool: list[str], exclude: list[str]) -> Any:
    """The index's mask of pool members not excluded from the run."""
    eligible = positions.member_mask(pool)
    for vid in exclude:
        k = positions.position.get(vid)
        if k is not None:
            eligible[k] = False
    return eligible


async def _nearest_by_cypher(
    driver: AsyncDriver, needs: list[dict[str, Any]], pool: list[str], exclude: list[str]
) -> dict[int, list[str]]:
    """Per need, every candidate of the Cypher filter, nearest first (ties by id)."""
    chosen: dict[int, list[str]] = {n["key"]: [] for n in needs}
    rows = await read_matching_rows(driver, CANDIDATE_IDS, {
        "needs": needs, "pool": pool, "exclude": exclude, "kmPerDegree": KM_PER_DEGREE_LAT,
        "slackFactor": TRAVEL_SLACK_FACTOR, "slackM": TRAVEL_SLACK_M,
    })
    rows.sort(key=lambda r: (r["need"], r["metres"], r["id"]))
    for r in rows:
        chosen[r["need"]].append(r["id"])
    return chosen


def _cheapest_in_index(
    positions: PositionIndex,
    needs: list[dict[str, Any]],
    pool: list[str],
    exclude: list[str],
    association: str,
    per_slot: int,
) -> dict[int, list[str]]:
    """Per need, the cheapest available candidates from the worker's in-memory index (no
    Cypher): weekly windows that fit the shift, ranked by the engine's estimated cost."""
    eligible = _eligible_in_index(positions, pool, exclude)
    own = positions.member_mask([association])
    weights = CostWeights.from_instance(DEFAULT_WEIGHTS)
    distances: dict[tuple[float, float], Any] = {}
    available: dict[tuple[datetime, datetime], Any] = {}
    chosen: dict[int, list[str]] = {}
    for n in needs:
        spot, span = (n["lat"], n["lon"]), (n["start"], n["end"])
        if spot not in distances:
            distances[spot] = positions.distances_km(*spot)
        if span not in available:
            available[span] = positions.available_mask(*span, DEFAULT_RULES["timezone"])
        chosen[n["key"]] = positions.nearest_candidates(
            lat=n["lat"],
            lon=n["lon"],
            qualifying=n["qualifying"],
            min_level=int(n["minLevel"]),
            ends_at=n["end"].timestamp(),
            gender=n["gender"],
            eligible=eligible,
            limit=candidate_cap(n["count"], per_slot),
            distances=distances[spot],
            available=available[span],
            own=own,
            weights=weights,
        )
    return chosen


async def _changed_since(
    driver: AsyncDriver, positions: PositionIndex, pool: list[str], exclude: list[str]
) -> list[str]:
    """Active pool members whose matching data changed since the index's load began (a
    minute's slack for clocks; a day when the index does not say)."""
    since = (
        datetime.fromtimestamp(positions.as_of, UTC) - CHANGED_SLACK
        if positions.as_of > 0
        else datetime.now(UTC) - timedelta(days=1)
    )
    rows = await read_matching_rows(
        driver,
        CHANGED_SINCE,
        {"since": since, "pool": pool, "exclude": exclude, "limit": CHANGED_LIMIT},
    )
    return [r["id"] for r in rows]


async def _witnesses(
    driver: AsyncDriver,
    needs: list[dict[str, Any]],
    pool: list[str],
    exclude: list[str],
    positions: PositionIndex | None,
    chosen: dict[int, list[str]],
) -> None:
    """For a need the pre-filter left with nobody, a few skill holders in reach it set aside for
    the gender rule or (in the index) their weekly windows: the engine turns them down itself
    and so names the true reason (RULE, NOT_AVAILABLE) instead of NO_SKILL_IN_REACH."""
    empty = [n for n in needs if not chosen.get(n["key"])]
    if not empty:
        return
    if positions is not None:
        eligible = _eligible_in_index(positions, pool, exclude)
        for n in empty:
            chosen[n["key"]] = positions.nearest_candidates(
                lat=n["lat"], lon=n["lon"], qualifying=n["qualifying"],
                min_level=int(n["minLevel"]), ends_at=n["end"].timestamp(), gender=None,
                eligible=eligible, limit=WITNESSES,
            )
        return
    relaxed = [{**n, "gender": None} for n in empty if n["gender"] is not None]
    if not relaxed:
        return
    for key, found in (await _nearest_by_cypher(driver, relaxed, pool, exclude)).items():
        chosen[key] = found[:WITNESSES]


async def _candidate_ids(
    driver: AsyncDriver,
    needs: list[dict[str, Any]],
    pool: list[str],
    exclude: list[str],
    positions: PositionIndex | None,
    association: str,
    widen: int = 1,
) -> tuple[list[str], set[int]]:
    """Per need, `candidate_cap(count)` volunteers who hold a qualifying skill, can reach the
    place, match the gender rule, are active and belong to the pool: nearest first by Cypher
    on a small graph, available and cheapest first from the index on a large one (`widen`
    times as many). Also the keys of the needs whose list was cut at the cap."""
    per_slot = CANDIDATES_PER_SLOT * widen
    if positions is None:
        per_slot = NEAREST_PER_SLOT * widen
        chosen = await _nearest_by_cypher(driver, needs, pool, exclude)
    else:
        chosen = _cheapest_in_index(positions, needs, pool, exclude, association, per_slot)
    await _witnesses(driver, needs, pool, exclude, positions, chosen)
    ids: set[str] = set()
    if positions is not None:
        # registered, trained or made available after the index was loaded: read fresh, the
        # engine decides on them like on any candidate (the index only ever narrows)
        ids.update(await _changed_since(driver, positions, pool, exclude))
    cut: set[int] = set()
    counts = {n["key"]: n["count"] for n in needs}
    for key, found in chosen.items():
        cap = candidate_cap(counts[key], per_slot)
        if len(found) >= cap:  # (the index returns at most `cap`: maybe more were left out)
            cut.add(key)
        ids.update(found[:cap])
    return sorted(ids), cut


async def _read_shifts(driver: AsyncDriver, shift_ids: Sequence[str]) -> list[dict[str, Any]]:
    return await read_matching_rows(
        driver,
        LOAD_SHIFTS,
        {"shiftIds": list(shift_ids), "active": BOOKED_STATUSES, "excluding": EXCLUDING_STATUSES},
    )


async def _read_pool(
    driver: AsyncDriver, association: str, allow_exchange: bool
) -> list[dict[str, Any]]:
    """The pool's associations (requester first among equals) with all their members counted."""
    return await read_matching_rows(
        driver,
        LOAD_POOL,
        {"association": association, "allowExchange": allow_exchange, "active": ACTIVE_STATUSES},
    )


async def _inactive_members(driver: AsyncDriver, pool: list[str]) -> dict[str, int]:
    rows = await read_matching_rows(driver, INACTIVE_MEMBERS, {"pool": pool})
    return {r["id"]: int(r["inactive"]) for r in rows}


async def _read_details(
    driver: AsyncDriver, ids: list[str], pool: list[str], shifts: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    starts = [to_datetime(s["start"]) for s in shifts]
    ends = [to_datetime(s["end"]) for s in shifts]
    rows = await read_matching_rows(
        driver,
        CANDIDATE_DETAILS,
        {
            "ids": ids,
            "pool": pool,
            "active": BOOKED_STATUSES,
            "from": min(starts) - BOOKING_MARGIN,
            "to": max(ends) + BOOKING_MARGIN,
        },
    )
    return [_volunteer_entry(r) for r in (rows[0]["volunteers"] if rows else [])]


async def load_problem(
    driver: AsyncDriver,
    *,
    shift_ids: Sequence[str],
    association: str,
    allow_exchange: bool,
    urgent: bool,
    exclude_volunteers: Sequence[str] = (),
    positions: PositionIndex | None = None,
    widen: int = 1,
) -> LoadedProblem:
    """Read everything a run needs and build the INSTANCE.md dict: shifts, pool and skill
    catalogue concurrently, then the candidates (in memory with an index, else one Cypher
    filter; `widen` times the usual number), then their fresh details in one statement."""
    clock = time.perf_counter()
    statements = STATEMENTS.count
    shift_rows, pool_rows, skill_rows = await asyncio.gather(
        _read_shifts(driver, shift_ids),
        _read_pool(driver, association, allow_exchange),
        read_matching_rows(driver, SKILL_CATALOGUE),
    )
    found = {r["id"] for r in shift_rows}
    missing = [s for s in shift_ids if s not in found]
    if missing:
        raise LoadError(f"shifts not found: {', '.join(sorted(missing))}")
    owners = {r["association"] for r in shift_rows}
    if owners != {association}:
        raise LoadError(
            f"shifts belong to {', '.join(sorted(owners))}, not to the requesting association "
            f"{association}"
        )
    shifts, need_index, need_skill, open_slots, excluded = _shift_rows_to_instance(
        shift_rows, urgent
    )
    excluded.update(exclude_volunteers)
    pool = sorted(r["id"] for r in pool_rows)
    qualifying = qualifying_skills({r["code"]: list(r["implies"]) for r in skill_rows})
    stats: dict[str, float] = {"contextS": time.perf_counter() - clock}
    need_keys = [(shift["id"], j) for shift in shifts for j in range(len(shift["needs"]))]
    cut_short: set[tuple[str, int]] = set()

    async def candidates() -> list[dict[str, Any]]:
        if not shifts:
            return []
        need_params = [
            {
                "key": k,
                "count": need["count"],
                "qualifying": sorted(qualifying.get(need["skill"], {need["skill"]})),
                "skill": need["skill"],
                "minLevel": need["minLevel"],
                "gender": need["gender"],
                "lat": shift["lat"],
                "lon": shift["lon"],
                "start": to_datetime(shift["start"]),
                "end": to_datetime(shift["end"]),
            }
            for k, (shift, need) in enumerate(
                (shift, need) for shift in shifts for need in shift["needs"]
            )
        ]
        mark = time.perf_counter()
        ids, cut = await _candidate_ids(
            driver, need_params, pool, sorted(excluded), positions, association, widen
        )
        cut_short.update(need_keys[k] for k in cut)
        stats["candidatesS"] = time.perf_counter() - mark
        mark = time.perf_counter()
        found = await _read_details(driver, ids, pool, shifts) if ids else []
        stats["detailsS"] = time.perf_counter() - mark
        return found

    # the lenders' inactive members (for their quotas) are read beside the candidates
    volunteers, inactive = await asyncio.gather(candidates(), _inactive_members(driver, pool))
    pool_rows = [{**r, "members": int(r["members"]) - inactive.get(r["id"], 0)} for r in pool_rows]
    stats["statements"] = STATEMENTS.count - statements
    stats["volunteers"] = len(volunteers)
    stats["indexed"] = 1.0 if positions is not None else 0.0

    members_in_instance: dict[str, int] = {a: 0 for a in pool}
    for v in volunteers:
        if v["active"]:
            for a in v["associations"]:
                members_in_instance[a] = members_in_instance.get(a, 0) + 1

    associations: list[dict[str, Any]] = []
    requires_approval: dict[str, bool] = {}
    lender_quota: dict[str, int] = {}
    for row in sorted(pool_rows, key=lambda r: r["id"]):
        if row["requester"]:
            associations.append(
                {
                    "id": row["id"],
                    "lends": False,
                    "maxShare": 0.0,
                    "requiresApproval": False,
                    "borrowers": None,
                    "lentHours": float(row["lentHours"]),
                    "borrowedHours": float(row["borrowedHours"]),
                }
            )
            continue
        quota = exact_quota(float(row["maxShare"]), int(row["members"]))
        remaining = max(0, quota - int(row["lent"]))
        lender_quota[row["id"]] = quota
        requires_approval[row["id"]] = bool(row["requiresApproval"])
        associations.append(
            {
                "id": row["id"],
                "lends": True,
                "maxShare": _instance_share(remaining, members_in_instance.get(row["id"], 0)),
                "requiresApproval": bool(row["requiresApproval"]),
                "borrowers": None if row["lendsToAll"] else [association],
                # informative: the real policy behind the adjusted maxShare above
                "policyMaxShare": float(row["maxShare"]),
                "activeMembers": int(row["members"]),
                "alreadyLent": int(row["lent"]),
                "quotaRemaining": remaining,
                "lentHours": float(row["lentHours"]),
                "borrowedHours": float(row["borrowedHours"]),
            }
        )

    instance = {
        "format": INSTANCE_FORMAT,
        "rules": dict(DEFAULT_RULES),
        "weights": dict(DEFAULT_WEIGHTS),
        "skills": [{"code": r["code"], "implies": list(r["implies"])} for r in skill_rows],
        "associations": associations,
        "volunteers": volunteers,
        "shifts": shifts,
    }
    return LoadedProblem(
        instance=instance,
        need_index=need_index,
        need_skill=need_skill,
        open_slots=open_slots,
        slots_total=sum(open_slots.values()),
        association=association,
        requires_approval=requires_approval,
        lender_quota=lender_quota,
        cut_short=frozenset(cut_short),
        stats=stats,
    )
