"""API benchmark on the DEV database (the 250K seed): GraphQL latency beside its floor, and the
urgent request from mutation to committed assignments.

    make services-up && make seed      # 250K volunteers in the dev Neo4j (bolt 7687)
    python bench/api.py [--clients 32] [--seconds 15] [--urgent-runs 20] [--slots 100]
                        [--only all|urgent|me] [--api-workers N]

It starts its own servers (uvicorn running the real app, uvicorn running the bare Starlette
floor in bench/api_floor.py, and `tahaluf worker --queue all`) as subprocesses and stops them.

1. Urgent request: an admin-created event in Cairo per run (100 slots over common skills,
   urgent), then `requestVolunteers(urgent: true)`; the clock runs from sending the mutation
   until the `matchingRun` subscription pushes SUCCEEDED (assignments committed). p50/p95/max
   over the runs.
2. `me { assignments(first: 20) }` for 2000 random volunteers (a JWT each) who have 5-20
   upcoming assignments each (created for the run on one bench event by
   graph/seed_assignments.py, deleted at the end), from 32 concurrent clients: requests/s,
   p50/p95/p99, rows per response and the server's CPU per request, beside the same work served
   by the floor, with the load average. Twice: 32 httpx clients in this process, then `wrk`
   (apt-get install wrk) in its own process, a light client that leaves the CPU to the server.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, LiteralString
from zoneinfo import ZoneInfo

import httpx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from api.auth import mint_token  # noqa: E402
from engine.reference.governorates import governorate  # noqa: E402
from graph.settings import get_settings  # noqa: E402

CAIRO = ZoneInfo("Africa/Cairo")
ME = """
query($first: Int) {
  me { id name assignments(first: $first) { totalCount edges { node { id status cost createdAt } } } }
}
"""
ASSOCIATIONS = "{ associations { id volunteerCount } }"
CREATE_EVENT = """
mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id shifts { id } } } }
"""
REQUEST = """
mutation($ids: [ID!]!) {
  requestVolunteers(shiftIds: $ids, urgent: true, allowExchange: true) { id status }
}
"""
FOLLOW = "subscription($id: ID!) { matchingRun(id: $id) { status slotsFilled slotsTotal error } }"
RUN_VOLUNTEERS = """
query($id: ID!) {
  matchingRun(id: $id) { assignments(first: 200) { edges { node { volunteer { id } } } } }
}
"""
NEEDS = (("food_packing", 0.4), ("food_distribution", 0.4), ("first_aid", 0.2))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


class Servers:
    """The app, the floor and the worker as subprocesses we started (stopped by pid)."""

    def __init__(self, worker_log: str | None = None, api_workers: int = 1) -> None:
        self.api_port, self.floor_port = free_port(), free_port()
        self.procs: list[subprocess.Popen[bytes]] = []
        self.worker_log = worker_log
        self.api_workers = api_workers

    def start(self) -> Servers:
        env = dict(os.environ)
        py = sys.executable
        common = ["--host", "127.0.0.1", "--log-level", "warning", "--no-access-log", "--factory"]
        if self.api_workers > 1:  # the app and the floor alike
            common += ["--workers", str(self.api_workers)]
        self.procs.append(
            subprocess.Popen(
                [py, "-m", "uvicorn", "api.app:create_app", "--port", str(self.api_port), *common],
                cwd=ROOT,
                env=env,
            )
        )
        self.procs.append(
            subprocess.Popen(
                [
                    py,
                    "-m",
                    "uvicorn",
                    "bench.api_floor:create_floor_app",
                    "--port",
                    str(self.floor_port),
                    *common,
                ],
                cwd=ROOT,
                env=env,
            )
        )
        log = open(self.worker_log, "ab") if self.worker_log else None  # noqa: SIM115
        self.procs.append(
            subprocess.Popen(
                [py, "-m", "api.cli.main", "worker", "--queue", "all"],
                cwd=ROOT,
                env=env,
                stdout=log or subprocess.DEVNULL,
                stderr=log or subprocess.DEVNULL,
            )
        )
        if log is not None:
            log.close()  # the worker holds its own descriptor
        deadline = time.monotonic() + 60
        for url in (f"{self.api_url}/readyz", f"{self.floor_url}/me/assignments"):
            while True:
                try:
                    if httpx.get(url, timeout=2).status_code in (200, 401, 403):
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    self.stop()
                    raise SystemExit(f"server at {url} did not come up")
                time.sleep(0.2)
        time.sleep(3)  # the worker warms its solver processes
        return self

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def floor_url(self) -> str:
        return f"http://127.0.0.1:{self.floor_port}"

    def stop(self) -> None:
        for p in self.procs:
            p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()


async def gql(
    client: httpx.AsyncClient,
    url: str,
    token: str,
    query: str,
    variables: dict[str, Any] | None = None,
) -> dict[str, Any]:
    r = await client.post(
        url + "/graphql",
        json={"query": query, "variables": variables or {}},
        headers={"Authorization": f"Bearer {token}"},
    )
    body = r.json()
    if body.get("errors"):
        raise RuntimeError(f"GraphQL error: {body['errors'][0].get('message')}")
    return body["data"]


async def follow_until_done(url: str, token: str, run_id: str) -> tuple[dict[str, Any], float]:
    """The run's last pushed state, and when it arrived (perf_counter): the clock stops at the
    push of SUCCEEDED, not after the websocket's closing handshake that follows it."""
    from gql import Client, GraphQLRequest
    from gql.transport.websockets import WebsocketsTransport

    transport = WebsocketsTransport(
        url=url.replace("http://", "ws://") + "/graphql",
        init_payload={"Authorization": f"Bearer {token}"},
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
    )
    last: dict[str, Any] = {}
    arrived = 0.0
    async with Client(transport=transport) as session:
        async for item in session.subscribe(GraphQLRequest(FOLLOW, variable_values={"id": run_id})):
            last, arrived = item["matchingRun"], time.perf_counter()
    return last, arrived


# What the urgent runs leave behind, deleted at the end (the dev database keeps its seed only).
URGENT_CLEANUP_EVENTS: LiteralString = """
UNWIND $events AS eid
MATCH (e:Event {id: eid})
OPTIONAL MATCH (e)-[:HAS_SHIFT]->(s:Shift)
OPTIONAL MATCH (s)<-[:FOR]-(x:Assignment)
OPTIONAL MATCH (q:ExchangeRequest)-[:FOR]->(x)
DETACH DELETE q, x, s, e
"""
URGENT_CLEANUP_RUNS: LiteralString = """
UNWIND $runs AS rid MATCH (r:MatchingRun {id: rid}) DETACH DELETE r
"""
URGENT_CLEANUP_CAMPAIGN: LiteralString = """
MATCH (c:Campaign {id: 'campaign:bench-api'}) WHERE NOT EXISTS { (c)<-[:PART_OF]-() } DELETE c
"""
URGENT_RUN_TIMINGS: LiteralString = """
UNWIND $runs AS rid MATCH (r:MatchingRun {id: rid})
RETURN r.id AS id, r.timings AS timings, r.createdAt.epochMillis AS created,
       r.finishedAt.epochMillis AS finished
"""


def _print_urgent_stages(rows: list[dict[str, Any]], seen_at: dict[str, float]) -> None:
    """Median of each stage the worker recorded on the run nodes, plus the server's
    created -> finished span and the subscription's push lag (finished -> client saw it;
    finishedAt is taken before the commit, so "push after commit" is the lag without it)."""
    stages: dict[str, list[float]] = {}
    notes: dict[str, list[float]] = {}
    for r in rows:
        t = json.loads(r["timings"] or "{}")
        for k, v in t.get("stages", {}).items():
            stages.setdefault(k, []).append(float(v))
        for k in ("workerS", "volunteers", "statements", "childTransferS", "childParseS",
                  "childSolveS", "childResultS", "loadDetailsS"):
            if isinstance(t.get(k), int | float):
                notes.setdefault(k, []).append(float(t[k]))
        if r["created"] is not None and r["finished"] is not None:
            stages.setdefault("server created->finished", []).append(
                (r["finished"] - r["created"]) / 1000
            )
            if r["id"] in seen_at:
                lag = seen_at[r["id"]] - r["finished"] / 1000
                stages.setdefault("push lag", []).append(lag)
                # finishedAt is the commit's clock, read BEFORE its transaction: the push lag
                # holds the whole commit; what the announcement itself costs is the rest
                commit = t.get("stages", {}).get("commit")
                if isinstance(commit, int | float):
                    stages.setdefault("push after commit", []).append(lag - float(commit))
    print("  per stage, median (max) over the runs:")
    for k, v in list(stages.items()) + list(notes.items()):
        unit = "" if k in ("volunteers", "statements") else " s"
        print(f"    {k:28s} {statistics.median(v):8.3f}{unit}  ({max(v):.3f})")


async def urgent_bench(
    servers: Servers, runs: int, slots: int, same_time: bool = False
) -> tuple[dict[str, Any], list[str]]:
    from graph.driver import create_driver

    secret = get_settings().jwt_secret
    admin = mint_token(secret, role="ADMIN", sub="bench-ops")
    cairo = governorate("01")
    driver = create_driver()
    event_ids: list[str] = []
    run_ids: list[str] = []
    seen_at: dict[str, float] = {}
    print(f"  urgent runs start, load average {os.getloadavg()[0]:.2f}")
    try:
        async with httpx.AsyncClient(timeout=120) as client:
            result = await _urgent_runs(
                client, servers, admin, secret, cairo, runs, slots, event_ids, run_ids, seen_at,
                same_time,
            )
        print(
            f"  urgent runs done, load average {os.getloadavg()[0]:.2f}; seconds per run: "
            + " ".join(f"{x:.2f}" for x in result[0]["latencies"])
            + f" (p95 {result[0]['p95_closed_s']:.3f} s counting the websocket close too); "
            + "filled per run: " + " ".join(str(n) for n in result[0]["filled"])
        )
        records, _, _ = await driver.execute_query(URGENT_RUN_TIMINGS, runs=run_ids)
        _print_urgent_stages([r.data() for r in records], seen_at)
        return result
    finally:
        await driver.execute_query(URGENT_CLEANUP_EVENTS, events=event_ids)
        await driver.execute_query(URGENT_CLEANUP_RUNS, runs=run_ids)
        await driver.execute_query(URGENT_CLEANUP_CAMPAIGN)
        await driver.close()


async def _urgent_runs(
    client: httpx.AsyncClient,
    servers: Servers,
    admin: str,
    secret: str,
    cairo: Any,
    runs: int,
    slots: int,
    event_ids: list[str],
    run_ids: list[str],
    seen_at: dict[str, float],
    same_time: bool = False,
) -> tuple[dict[str, Any], list[str]]:
    assocs = (await gql(client, servers.api_url, admin, ASSOCIATIONS))["associations"]
    home = max(assocs, key=lambda a: a["volunteerCount"])["id"]
    coordinator = mint_token(secret, role="COORDINATOR", sub="bench-coord", association=home)
    latencies: list[float] = []
    closed: list[float] = []
    filled: list[int] = []
    day0 = datetime.now(CAIRO).date() + timedelta(days=2)
    for i in range(runs):
        # 4 shift times a day over 5 days; with --same-time every run asks for one hour (a
        # crisis: demand concentrated on one time and place, until the people free then run out)
        k = 0 if same_time else i
        local = datetime(
            day0.year, day0.month, day0.day, 8 + 3 * (k % 4), tzinfo=CAIRO
        ) + timedelta(days=k // 4)
        counts = [max(1, round(slots * share)) for _, share in NEEDS]
        counts[0] += slots - sum(counts)
        event = {
            "title": f"bench urgent {i}",
            "domain": "POVERTY",
            "governorate": cairo.code,
            "latitude": cairo.lat,
            "longitude": cairo.lon,
            "campaign": "bench-api",
            "shifts": [
                {
                    "startsAt": local.astimezone(UTC).isoformat(),
                    "endsAt": (local + timedelta(hours=3)).astimezone(UTC).isoformat(),
                    "needs": [
                        {"skill": s, "count": c, "minLevel": 1}
                        for (s, _), c in zip(NEEDS, counts, strict=True)
                    ],
                }
            ],
        }
        created = await gql(
            client, servers.api_url, coordinator, CREATE_EVENT, {"input": event}
        )
        event_ids.append(created["createEvent"]["event"]["id"])
        shift_ids = [s["id"] for s in created["createEvent"]["event"]["shifts"]]
        t0 = time.perf_counter()
        run = (await gql(client, servers.api_url, admin, REQUEST, {"ids": shift_ids}))[
            "requestVolunteers"
        ]
        run_ids.append(run["id"])
        final, arrived = await follow_until_done(servers.api_url, admin, run["id"])
        latencies.append(arrived - t0)
        closed.append(time.perf_counter() - t0)  # as measured before: after the close as well
        seen_at[run["id"]] = time.time() - (time.perf_counter() - arrived)
        if final.get("status") != "SUCCEEDED":
            print(f"  run {run['id']} ended {final}", file=sys.stderr)
        filled.append(int(final.get("slotsFilled") or 0))
    volunteers: list[str] = []
    for rid in run_ids:
        data = await gql(client, servers.api_url, admin, RUN_VOLUNTEERS, {"id": rid})
        volunteers += [
            e["node"]["volunteer"]["id"] for e in data["matchingRun"]["assignments"]["edges"]
        ]
    return {
        "runs": runs,
        "slots": slots,
        "association": home,
        "p50_s": statistics.median(latencies),
        "p95_s": percentile(latencies, 95),
        "max_s": max(latencies),
        "first_s": latencies[0],
        "mean_filled": statistics.mean(filled),
        "filled": filled,
        "latencies": latencies,
        "p95_closed_s": percentile(closed, 95),
    }, sorted(set(volunteers))


WRK_SCRIPT = r"""
local tokens = {}
for line in io.lines("__TOKENS__") do tokens[#tokens + 1] = line end
local path = "__PATH__"
local body = __BODY__
local threads = {}
local counter = 0
setup = function(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end
init = function(args) math.randomseed(os.time() * 1000 + (tid or 0)) end
request = function()
  local h = {["Authorization"] = "Bearer " .. tokens[math.random(#tokens)],
             ["Content-Type"] = "application/json"}
  if body ~= "" then return wrk.format("POST", path, h, body) end
  return wrk.format("GET", path, h, nil)
end
bad = 0
response = function(status, headers, text)
  if status ~= 200 or string.find(text, '"errors"', 1, true) then bad = bad + 1 end
end
done = function(summary, latency, requests)
  local nbad = 0
  for _, t in ipairs(threads) do nbad = nbad + (t:get("bad") or 0) end
  local sock = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format("RESULT %d %.3f %.3f %.3f %.3f %d %d\n", summary.requests,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, nbad, sock))
end
"""


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds a process and its live descendants (uvicorn's workers with
    --api-workers) have used so far (Linux /proc), None elsewhere."""
    stats: dict[int, list[str]] = {}
    try:
        entries = [e for e in os.listdir("/proc") if e.isdigit()]
    except OSError:
        return None
    for entry in entries:
        try:
            stats[int(entry)] = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
    if pid not in stats:
        return None
    tree, grew = {pid}, True
    while grew:
        more = {p for p, f in stats.items() if int(f[1]) in tree} - tree
        tree |= more
        grew = bool(more)
    ticks = sum(int(stats[p][11]) + int(stats[p][12]) for p in tree)
    return ticks / os.sysconf("SC_CLK_TCK")


def _stats(
    latencies_ms: list[float], elapsed: float, ok: int, errors: int, rows: float | None
) -> dict[str, float]:
    return {
        "rps": ok / elapsed if elapsed else 0.0,
        "p50_ms": percentile(latencies_ms, 50),
        "p95_ms": percentile(latencies_ms, 95),
        "p99_ms": percentile(latencies_ms, 99),
        "requests": ok,
        "errors": errors,
        "rows": rows if rows is not None else float("nan"),
    }


async def load(
    url: str, tokens: list[str], clients: int, seconds: float, graphql: bool
) -> dict[str, float]:
    """32 httpx clients in THIS process (they share its CPU with nothing else, but the
    machine's 2 cores with the server and Neo4j)."""
    latencies: list[float] = []
    rows: list[int] = []
    errors = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:

        async def one(token: str) -> None:
            nonlocal errors
            t = time.perf_counter()
            headers = {"Authorization": f"Bearer {token}"}
            try:
                n = await request(headers)
            except (httpx.HTTPError, ValueError):
                errors += 1
                return
            latencies.append(time.perf_counter() - t)
            rows.append(n)

        async def request(headers: dict[str, str]) -> int:
            if graphql:
                r = await client.post(
                    url + "/graphql",
                    json={"query": ME, "variables": {"first": 20}},
                    headers=headers,
                )
                answer = r.json()
                if r.status_code != 200 or answer.get("errors") or not answer["data"]["me"]:
                    raise ValueError(f"status {r.status_code} or GraphQL errors")
                body = answer["data"]
            else:
                r = await client.get(url + "/me/assignments?first=20", headers=headers)
                body = r.json()
                if r.status_code != 200 or not body.get("me"):
                    raise ValueError(f"status {r.status_code}")
            return len(body["me"]["assignments"]["edges"])

        async def worker(rng: random.Random, until: float) -> None:
            while time.perf_counter() < until:
                await one(rng.choice(tokens))

        warm = time.perf_counter() + 2
        await asyncio.gather(*(worker(random.Random(i), warm) for i in range(clients)))
        latencies.clear()
        rows.clear()
        errors = 0
        start = time.perf_counter()
        await asyncio.gather(
            *(worker(random.Random(100 + i), start + seconds) for i in range(clients))
        )
        elapsed = time.perf_counter() - start
    return _stats(
        [x * 1000 for x in latencies],
        elapsed,
        len(latencies),
        errors,
        statistics.mean(rows) if rows else None,
    )


def wrk_load(
    url: str, tokens_file: Path, clients: int, seconds: float, graphql: bool
) -> dict[str, float]:
    """The same requests from `wrk` (C, one thread, in its own process): a light client, so
    the server and Neo4j get the CPU the Python clients would take."""
    body = json.dumps(json.dumps({"query": ME, "variables": {"first": 20}})) if graphql else '""'
    script = (
        WRK_SCRIPT.replace("__TOKENS__", str(tokens_file))
        .replace("__PATH__", "/graphql" if graphql else "/me/assignments?first=20")
        .replace("__BODY__", body)
    )
    lua = tokens_file.with_suffix(".lua")
    lua.write_text(script)

    def run(duration: float) -> list[str]:
        out = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{clients}",
                f"-d{duration:g}s",
                "--timeout",
                "10s",
                "-s",
                str(lua),
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return next(line for line in out.splitlines() if line.startswith("RESULT")).split()[1:]

    run(2)  # warm up
    n, elapsed, p50, p95, p99, bad, sock = run(seconds)
    ok = int(n) - int(bad) - int(sock)
    stats = _stats([], float(elapsed), ok, int(bad) + int(sock), None)
    stats.update(p50_ms=float(p50), p95_ms=float(p95), p99_ms=float(p99))
    return stats


async def measured(pid: int, run: Callable[[], Awaitable[dict[str, float]]]) -> dict[str, float]:
    """Run one load phase; add the load average before it and the server's CPU per request."""
    load1 = os.getloadavg()[0]
    before = cpu_seconds(pid)
    stats = await run()
    after = cpu_seconds(pid)
    stats["load"] = load1
    stats["cpu_ms"] = (
        (after - before) * 1000 / stats["requests"]
        if before is not None and after is not None and stats["requests"]
        else float("nan")
    )
    return stats


def _print_pair(gql_stats: dict[str, float], floor_stats: dict[str, float]) -> None:
    for name, s in (("GraphQL (Strawberry)", gql_stats), ("floor (bare Starlette)", floor_stats)):
        print(
            f"    {name:22s} {s['rps']:7.1f} req/s  p50 {s['p50_ms']:6.1f}  p95 {s['p95_ms']:6.1f}  "
            f"p99 {s['p99_ms']:6.1f} ms  server CPU {s['cpu_ms']:5.2f} ms/req  "
            f"rows/resp {s['rows']:4.1f}  load {s['load']:.1f}  "
            f"({s['requests']} ok, {s['errors']} errors)"
        )
    print(
        f"    overhead: p95 x{gql_stats['p95_ms'] / floor_stats['p95_ms']:.2f}, "
        f"throughput x{floor_stats['rps'] / gql_stats['rps']:.2f}, "
        f"server CPU x{gql_stats['cpu_ms'] / floor_stats['cpu_ms']:.2f} "
        "(target <= 2x; p95 <= 50 ms)"
    )


async def me_bench(servers: Servers, args: argparse.Namespace) -> None:
    """`me { assignments(first: 20) }` for volunteers who have 5-20 upcoming assignments (created
    for this run on one bench event and deleted afterwards), GraphQL beside the floor, from the
    in-process httpx clients and from wrk when it is installed."""
    from graph.driver import create_driver
    from graph.seed_assignments import (
        create_bench_assignments,
        delete_bench_assignments,
        sample_volunteers,
    )

    settings = get_settings()
    driver = create_driver(settings)
    tag = f"bench-me-{uuid.uuid4().hex[:8]}"
    try:
        t0 = time.perf_counter()
        volunteers = await sample_volunteers(driver, args.me_volunteers)
        first_day = datetime.now(CAIRO).date() + timedelta(days=3)
        made = await create_bench_assignments(driver, tag, volunteers, first_day=first_day)
        counts = list(made.per_volunteer.values())
        tokens = [
            mint_token(settings.jwt_secret, role="VOLUNTEER", sub=v, hours=2) for v in volunteers
        ]
        print(
            f"me {{ assignments(first: 20) }}: {len(volunteers)} random volunteers with "
            f"{min(counts)}-{max(counts)} upcoming assignments each (mean "
            f"{statistics.mean(counts):.1f}; {made.total} created under {tag} in "
            f"{time.perf_counter() - t0:.1f} s), "
            f"{args.clients} clients, {args.seconds:.0f} s per phase, "
            f"{args.api_workers} uvicorn process(es) each for the app and the floor"
        )
        api_pid, floor_pid = servers.procs[0].pid, servers.procs[1].pid
        generators = ["httpx", "wrk"] if args.load_generator == "both" else [args.load_generator]
        if "wrk" in generators and shutil.which("wrk") is None:
            print("  (wrk is not installed: apt-get install wrk; httpx clients only)")
            generators.remove("wrk")
        with tempfile.TemporaryDirectory() as tmp:
            tokens_file = Path(tmp) / "tokens.txt"
            tokens_file.write_text("\n".join(tokens) + "\n")

            def phase(
                generator: str, url: str, graphql: bool
            ) -> Callable[[], Awaitable[dict[str, float]]]:
                if generator == "httpx":
                    return lambda: load(url, tokens, args.clients, args.seconds, graphql)
                return lambda: asyncio.to_thread(
                    wrk_load, url, tokens_file, args.clients, args.seconds, graphql
                )

            for generator in generators:
                print(
                    f"  client: {args.clients} httpx tasks in the bench process"
                    if generator == "httpx"
                    else "  client: wrk (C, 1 thread, its own process; rows not counted)"
                )
                gql_stats = await measured(api_pid, phase(generator, servers.api_url, True))
                floor_stats = await measured(floor_pid, phase(generator, servers.floor_url, False))
                _print_pair(gql_stats, floor_stats)
    finally:
        removed = await delete_bench_assignments(driver, tag)
        print(f"  removed the {removed} bench assignments and the bench event ({tag})")
        await driver.close()


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--urgent-runs", type=int, default=20)
    parser.add_argument("--slots", type=int, default=100)
    parser.add_argument("--me-volunteers", type=int, default=2000, help="volunteers asked for")
    parser.add_argument("--load-generator", choices=("both", "httpx", "wrk"), default="both")
    parser.add_argument(
        "--only", choices=("all", "urgent", "me"), default="all",
        help="run only the urgent requests or only me { assignments } (default: both)",
    )
    parser.add_argument("--worker-log", help="append the worker's output to this file")
    parser.add_argument(
        "--api-workers", type=int, default=1,
        help="uvicorn processes for the app and for the floor alike (tahaluf serve --workers)",
    )
    parser.add_argument(
        "--same-time", action="store_true",
        help="every urgent run asks for the same shift time (demand concentrated on one hour)",
    )
    args = parser.parse_args()
    settings = get_settings()
    print(f"Neo4j {settings.neo4j_uri}  Redis {settings.redis_url}")
    servers = Servers(args.worker_log, args.api_workers).start()
    try:
        if args.only in ("all", "urgent"):
            urgent, _ = await urgent_bench(servers, args.urgent_runs, args.slots, args.same_time)
            print(
                f"urgent request of {urgent['slots']} slots, mutation -> committed assignments, "
                f"{urgent['runs']} runs: p50 {urgent['p50_s']:.3f} s  p95 {urgent['p95_s']:.3f} s  "
                f"max {urgent['max_s']:.3f} s  (mean filled {urgent['mean_filled']:.1f}; "
                "target p95 <= 2 s)"
            )
        if args.only in ("all", "me"):
            await me_bench(servers, args)
    finally:
        servers.stop()


if __name__ == "__main__":
    asyncio.run(main())
