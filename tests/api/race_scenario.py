"""Concurrent conflicting requests through the real app; then a Cypher check for double bookings.

Used by tests/api/test_race_requests.py (a small burst, in the suite) and bench/race.py (the
1,000-request burst of DESIGN.md). The world: K associations that lend to each other, their
volunteers (half of them members of two), one event per association, and rows of shifts where
every association's shift of a row overlaps the others' (row j starts 12 h after row j-1;
association a's shift of it starts a hours later, lasting 4 h). Some PROPOSED assignments are
seeded on them (never conflicting). The burst, shuffled and sent at once:
- requestVolunteers by each association's coordinator on 1-3 of its shifts (exchange mostly on,
  some urgent), so runs of several associations race for the same people at the same times;
- respondToAssignment(accept: true) by the volunteer racing cancelAssignment by the coordinator
  on the same seeded assignment (the cancel triggers a refill run);
- respondToAssignment(accept: false) on other seeded assignments (each triggers a refill run).
The app runs in uvicorn on a loopback port; two real arq worker processes (default and urgent
queues) run the matching. Redis: a database of its own, so no other test's worker takes the jobs.

The check, in Cypher over the world's volunteers and shifts: no volunteer has two active
(PROPOSED/CONFIRMED/CHECKED_IN) assignments that overlap or sit closer than the minimum rest
(back to back within one event excepted), and no need has more active assignments than its count.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, LiteralString

import httpx
from neo4j import AsyncDriver
from redis.asyncio import Redis

from api.auth import mint_token
from graph.matching_load import DEFAULT_RULES
from graph.settings import Settings
from tests.api.server import LiveServer
from tests.workers.matching_world import MatchingWorld

ROOT = Path(__file__).resolve().parents[2]
RACE_REDIS_DB = 13
SHIFT_HOURS = 4
ROW_HOURS = 12
MIN_REST_HOURS = float(DEFAULT_RULES["minRestHours"])

SEED_PROPOSED: LiteralString = """
UNWIND $rows AS row
MATCH (v:Volunteer {id: row.volunteer}), (sh:Shift {id: row.shift})-[:NEEDS {index: 0}]->(s:Skill)
MATCH (e:Event)-[:HAS_SHIFT]->(sh)
CREATE (v)-[:ASSIGNED]->(x:Assignment {id: row.id, status: 'PROPOSED', needIndex: 0,
  viaExchange: false, cost: 0.0, termNames: [], termValues: [], startsAt: sh.startsAt,
  endsAt: sh.endsAt, eventId: e.id, createdAt: $now, updatedAt: $now,
  history: ['PROPOSED|' + toString($now) + '|seed'], hours: null})-[:FOR]->(sh)
CREATE (x)-[:AS]->(s)
"""

# Two active assignments of one volunteer that overlap or break the minimum rest (a pair once).
# Back to back (gap 0) within one event is allowed, as in graph.matching_commit.conflicts.
BOOKING_VIOLATIONS: LiteralString = """
MATCH (v:Volunteer)-[:ASSIGNED]->(a:Assignment), (v)-[:ASSIGNED]->(b:Assignment)
WHERE v.id IN $volunteers AND a.id < b.id
  AND a.status IN ['PROPOSED', 'CONFIRMED', 'CHECKED_IN']
  AND b.status IN ['PROPOSED', 'CONFIRMED', 'CHECKED_IN']
WITH v, a, b,
     CASE WHEN b.startsAt >= a.endsAt THEN duration.inSeconds(a.endsAt, b.startsAt).seconds
          WHEN a.startsAt >= b.endsAt THEN duration.inSeconds(b.endsAt, a.startsAt).seconds
          ELSE -1 END AS gap
WHERE gap < $restSeconds AND NOT (gap = 0 AND a.eventId = b.eventId)
RETURN v.id AS volunteer, a.id AS a, b.id AS b, gap
"""

OVERFILLED_NEEDS: LiteralString = """
MATCH (s:Shift)-[n:NEEDS]->(:Skill) WHERE s.id IN $shifts
OPTIONAL MATCH (s)<-[:FOR]-(x:Assignment)
  WHERE x.status IN ['PROPOSED', 'CONFIRMED', 'CHECKED_IN'] AND x.needIndex = n.index
WITH s, n, count(x) AS filled WHERE filled > n.count
RETURN s.id AS shift, n.index AS need, filled, n.count AS count
"""

# Lenders with more distinct volunteers on active loans than floor(maxShare x active members)
# (INSTANCE.md rule 7; round() as graph.matching_load.exact_quota does).
OVER_QUOTA: LiteralString = """
MATCH (l:Association) WHERE l.id IN $associations
CALL (l) {
  OPTIONAL MATCH (v:Volunteer)-[:ASSIGNED]->(x:Assignment)-[:LENT_BY]->(l)
  WHERE x.status IN ['PROPOSED', 'CONFIRMED', 'CHECKED_IN']
  RETURN count(DISTINCT v) AS lent
}
CALL (l) {
  MATCH (m:Volunteer)-[:MEMBER_OF]->(l) WHERE m.active = true
  RETURN count(m) AS members
}
WITH l, lent, toInteger(floor(round(l.maxShare * members, 9))) AS quota
WHERE lent > quota
RETURN l.id AS lender, lent, quota
"""

RUNS_OF: LiteralString = """
MATCH (r:MatchingRun) WHERE r.association IN $associations
RETURN r.id AS id, r.status AS status, r.kind AS kind, r.slotsFilled AS filled, r.error AS error
"""

ACTIVE_ON: LiteralString = """
MATCH (x:Assignment)-[:FOR]->(s:Shift)
WHERE s.id IN $shifts AND x.status IN ['PROPOSED', 'CONFIRMED', 'CHECKED_IN']
RETURN count(x) AS n
"""

STATUS_OF: LiteralString = """
UNWIND $ids AS aid
MATCH (x:Assignment {id: aid})
RETURN x.id AS id, x.status AS status, x.history AS history
"""

REQUEST: str = """mutation($ids: [ID!]!, $exchange: Boolean, $urgent: Boolean) {
  requestVolunteers(shiftIds: $ids, allowExchange: $exchange, urgent: $urgent) { id status } }"""
RESPOND: str = """mutation($id: ID!, $accept: Boolean!) {
  respondToAssignment(id: $id, accept: $accept) { id status } }"""
CANCEL: str = """mutation($id: ID!) { cancelAssignment(id: $id, reason: "race") { id status } }"""


@dataclass(frozen=True)
class Size:
    requests: int
    associations: int
    volunteers: int
    rows: int

    @classmethod
    def for_requests(cls, n: int) -> Size:
        """A world where 30% of `n` can be seeded PROPOSED (2 of each shift's 3 slots)."""
        associations = 4 if n >= 400 else 3
        rows = max(4, -(-int(0.3 * n) // (2 * associations)) + 2)
        return cls(n, associations, max(30, n // 8), rows)


@dataclass
class RaceWorld:
    associations: list[str]
    volunteers: list[str]
    shifts: dict[str, list[str]]  # association -> its shifts, by row
    coordinator: dict[str, str]  # association -> token
    seeded: list[dict[str, str]]  # id, volunteer, shift, association


@dataclass
class Sent:
    kind: str  # REQUEST, ACCEPT, CANCEL, DECLINE
    target: str  # the assignment id, or the association for REQUEST
    status: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    data: dict[str, Any] | None = None
    seconds: float = 0.0

    @property
    def codes(self) -> list[str | None]:
        return [(e.get("extensions") or {}).get("code") for e in self.errors]


@dataclass
class Report:
    sent: list[Sent]
    burst_s: float
    settle_s: float
    runs: list[dict[str, Any]]
    violations: list[dict[str, Any]]
    overfilled: list[dict[str, Any]]
    over_quota: list[dict[str, Any]]
    active: int
    finals: dict[str, dict[str, Any]]

    def lines(self) -> list[str]:
        by_kind: dict[str, list[Sent]] = defaultdict(list)
        for s in self.sent:
            by_kind[s.kind].append(s)
        out = [
            f"requests sent at once: {len(self.sent)} in {self.burst_s:.1f} s "
            f"(then {self.settle_s:.1f} s until every run finished)"
        ]
        for kind, items in sorted(by_kind.items()):
            secs = sorted(s.seconds for s in items)
            codes = Counter(",".join(c or "?" for c in s.codes) or "ok" for s in items)
            out.append(
                f"  {kind:8s} {len(items):4d}  p50 {statistics.median(secs):.2f} s  "
                f"p95 {secs[int(0.95 * (len(secs) - 1))]:.2f} s  answers {dict(codes)}"
            )
        statuses = Counter((r["kind"], r["status"]) for r in self.runs)
        out.append(f"matching runs: {dict(statuses)}; slots filled {sum(r['filled'] or 0 for r in self.runs)}")
        out.append(f"double bookings (overlap or rest): {len(self.violations)}")
        out.append(f"needs over their count: {len(self.overfilled)}")
        out.append(f"lenders past their quota: {len(self.over_quota)}")
        return out


async def build_world(world: MatchingWorld, size: Size, secret: str, rng: random.Random) -> RaceWorld:
    medic = await world.skill("medic")
    associations = [
        await world.association(lends=True, max_share=0.5, requires_approval=False)
        for _ in range(size.associations)
    ]
    volunteers = []
    for i in range(size.volunteers):
        home = associations[i % len(associations)]
        member_of = [home]
        if i % 2 == 1:
            member_of.append(associations[(i + 1) % len(associations)])
        volunteers.append(await world.volunteer(member_of, [(medic, 2)]))
    shifts: dict[str, list[str]] = {}
    for a, association in enumerate(associations):
        event = await world.event(association)
        shifts[association] = [
            await world.shift(event, [(medic, 3, 1)], offset_hours=ROW_HOURS * j + a, hours=SHIFT_HOURS)
            for j in range(size.rows)
        ]
    coordinator = {
        a: mint_token(secret, role="COORDINATOR", sub=f"coord-{a}", association=a)
        for a in associations
    }
    # seed PROPOSED assignments that never conflict: a volunteer only on every other row
    # (24 h apart), at most 2 of a shift's 3 slots
    wanted = int(0.3 * size.requests)
    seeded: list[dict[str, str]] = []
    taken: Counter[str] = Counter()
    booked: set[tuple[str, int]] = set()
    k = len(associations)
    order = [
        (j, v) for j in range(size.rows) for v in range(len(volunteers)) if (j + v // k) % 2 == 0
    ]
    rng.shuffle(order)
    for j, v in order:
        if len(seeded) >= wanted:
            break
        volunteer = volunteers[v]
        if (volunteer, j) in booked:
            continue
        home = associations[v % len(associations)]
        shift = shifts[home][j]
        if taken[shift] >= 2:
            continue
        taken[shift] += 1
        booked.add((volunteer, j))
        seeded.append({"id": world._id("asg"), "volunteer": volunteer, "shift": shift, "association": home})
    assert len(seeded) == wanted, (len(seeded), wanted)
    await world.q(SEED_PROPOSED, rows=seeded, now=datetime.now(UTC))
    return RaceWorld(associations, volunteers, shifts, coordinator, seeded)


def plan(race: RaceWorld, size: Size, secret: str, rng: random.Random) -> list[tuple[Sent, str, dict[str, Any], str]]:
    """(record, query, variables, token) for every request of the burst, shuffled."""
    pairs = int(0.2 * size.requests)
    declines = len(race.seeded) - pairs
    requests = size.requests - 2 * pairs - declines
    out: list[tuple[Sent, str, dict[str, Any], str]] = []
    for x in race.seeded[:pairs]:
        volunteer = mint_token(secret, role="VOLUNTEER", sub=x["volunteer"])
        out.append((Sent("ACCEPT", x["id"]), RESPOND, {"id": x["id"], "accept": True}, volunteer))
        out.append((Sent("CANCEL", x["id"]), CANCEL, {"id": x["id"]}, race.coordinator[x["association"]]))
    for x in race.seeded[pairs : pairs + declines]:
        volunteer = mint_token(secret, role="VOLUNTEER", sub=x["volunteer"])
        out.append((Sent("DECLINE", x["id"]), RESPOND, {"id": x["id"], "accept": False}, volunteer))
    rows = len(next(iter(race.shifts.values())))
    for _ in range(requests):
        association = rng.choice(race.associations)
        first = rng.randrange(rows)
        chosen = race.shifts[association][first : first + rng.randint(1, 3)]
        variables = {"ids": chosen, "exchange": rng.random() < 0.8, "urgent": rng.random() < 0.3}
        out.append((Sent("REQUEST", association), REQUEST, variables, race.coordinator[association]))
    rng.shuffle(out)
    return out


async def fire(url: str, burst: list[tuple[Sent, str, dict[str, Any], str]]) -> float:
    """Send every request at once (one connection each); fill in each record's answer."""
    limits = httpx.Limits(max_connections=len(burst), max_keepalive_connections=0)
    start = asyncio.Event()
    async with httpx.AsyncClient(limits=limits, timeout=300) as client:

        async def one(sent: Sent, query: str, variables: dict[str, Any], token: str) -> None:
            await start.wait()
            t0 = time.perf_counter()
            response = await client.post(
                url, json={"query": query, "variables": variables},
                headers={"Authorization": f"Bearer {token}"},
            )
            sent.seconds = time.perf_counter() - t0
            sent.status = response.status_code
            try:
                body = response.json()
            except ValueError:
                sent.errors = [{"message": response.text[:200], "extensions": {"code": "NOT_JSON"}}]
                return
            sent.data = body.get("data")
            sent.errors = list(body.get("errors") or [])

        tasks = [asyncio.create_task(one(*item)) for item in burst]
        await asyncio.sleep(0)
        t0 = time.perf_counter()
        start.set()
        await asyncio.gather(*tasks)
        return time.perf_counter() - t0


async def settle(driver: AsyncDriver, associations: list[str], timeout: float) -> float:
    """Wait until every matching run of the associations (requests and refills) finished."""
    t0 = time.perf_counter()
    while True:
        records, _, _ = await driver.execute_query(RUNS_OF, {"associations": associations})
        if records and all(r["status"] in ("SUCCEEDED", "FAILED") for r in records):
            return time.perf_counter() - t0
        if time.perf_counter() - t0 > timeout:
            pending = Counter(r["status"] for r in records)
            raise AssertionError(f"runs still pending after {timeout:.0f} s: {dict(pending)}")
        await asyncio.sleep(0.25)


async def check(world: MatchingWorld, race: RaceWorld, sent: list[Sent], burst_s: float, settle_s: float) -> Report:
    shifts = [s for per in race.shifts.values() for s in per]
    violations = await world.q(
        BOOKING_VIOLATIONS, volunteers=race.volunteers, restSeconds=int(MIN_REST_HOURS * 3600)
    )
    overfilled = await world.q(OVERFILLED_NEEDS, shifts=shifts)
    over_quota = await world.q(OVER_QUOTA, associations=race.associations)
    runs = await world.q(RUNS_OF, associations=race.associations)
    active = (await world.q(ACTIVE_ON, shifts=shifts))[0]["n"]
    finals = {
        r["id"]: r for r in await world.q(STATUS_OF, ids=[x["id"] for x in race.seeded])
    }
    return Report(sent, burst_s, settle_s, runs, violations, overfilled, over_quota, active, finals)


def _worker(queue: str, redis_url: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.workers.worker_process", queue],
        cwd=ROOT, env={**os.environ, "REDIS_URL": redis_url}, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@contextlib.asynccontextmanager
async def race_services(settings: Settings) -> AsyncIterator[tuple[str, Redis]]:
    """The real app (uvicorn, loopback) and two real worker processes on a Redis db of their own."""
    redis_url = f"{settings.redis_url.rsplit('/', 1)[0]}/{RACE_REDIS_DB}"
    own = settings.model_copy(update={"redis_url": redis_url})
    server = LiveServer(own).start()
    workers = [_worker(q, redis_url) for q in ("default", "urgent")]
    redis = Redis.from_url(redis_url)
    try:
        yield server.url + "/graphql", redis
        assert all(p.poll() is None for p in workers), "a worker process died"
    finally:
        for proc in workers:
            _stop(proc)
        server.stop()
        await redis.aclose()


async def forget_jobs(redis: Redis, run_ids: list[str]) -> None:
    """Delete what arq kept of the world's runs (results, retry counters)."""
    for run_id in run_ids:
        job = f"match:{run_id}"
        await redis.delete(f"arq:job:{job}", f"arq:retry:{job}", f"arq:result:{job}", f"arq:in-progress:{job}")
        await redis.zrem("tahaluf:default", job)
        await redis.zrem("tahaluf:urgent", job)


async def race(
    world: MatchingWorld, settings: Settings, size: Size, *, seed: int = 1, settle_timeout: float = 600
) -> Report:
    """Build the world, send the burst through the live app, wait for the runs, check."""
    rng = random.Random(seed)
    race_world = await build_world(world, size, settings.jwt_secret, rng)
    burst = plan(race_world, size, settings.jwt_secret, rng)
    assert len(burst) == size.requests
    async with race_services(settings) as (url, redis):
        try:
            burst_s = await fire(url, burst)
            settle_s = await settle(world.driver, race_world.associations, settle_timeout)
        finally:
            runs = await world.q(RUNS_OF, associations=race_world.associations)
            await forget_jobs(redis, [r["id"] for r in runs])
    return await check(world, race_world, [s for s, _, _, _ in burst], burst_s, settle_s)


def confirmed_in(history: list[str]) -> int:
    return sum(1 for h in history if h.startswith("CONFIRMED|"))


def summary_json(report: Report) -> str:
    return json.dumps(
        {"violations": report.violations, "overfilled": report.overfilled,
         "overQuota": report.over_quota}, default=str
    )

