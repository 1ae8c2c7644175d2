"""Seed benchmark: load N volunteers (with skills, memberships, residence) into the DEV Neo4j.

    eval "$(scripts/services.sh env dev)"; python bench/seed.py [--volunteers 250000] [--seed 1]

WIPES THE DEV DATABASE it points at (batched DETACH DELETE), then measures, in the same run:
  - floor: a bare `UNWIND $rows AS r CREATE (:BenchFloor {id: r.id})` of the same node count
    in the same batch size (what the server costs for nodes alone);
  - tahaluf: the real `tahaluf seed` load path (generation + volunteers + relationships,
    with --bulk: Volunteer search indexes dropped during the load and rebuilt, rebuild counted);
and prints seconds, nodes/s and relationships/s beside the design's 60 s target.
Refuses to run against the test database (bolt port 7688), which others use concurrently.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path
from typing import LiteralString

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from graph.driver import check_connection, create_driver  # noqa: E402
from graph.errors import GraphUnavailable  # noqa: E402
from graph.reference_data import load_reference_data  # noqa: E402
from graph.schema import apply_schema  # noqa: E402
from graph.seed_campaign import CampaignConfig, generate_campaign  # noqa: E402
from graph.seed_load import Progress  # noqa: E402
from graph.seed_load_events import load_campaign  # noqa: E402
from graph.seed_run import SeedOptions, load_people  # noqa: E402
from graph.settings import get_settings  # noqa: E402
from graph.supply_cells import MAX_LEVEL, VOLUNTEER_ENTRIES  # noqa: E402
from graph.supply_rebuild import ENTRY_COUNTS  # noqa: E402

TARGET_SECONDS = 60.0
TEST_PORT = ":7688"

WIPE_RELATIONSHIPS: LiteralString = """
MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 100000 ROWS
"""
WIPE_NODES: LiteralString = """
MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 100000 ROWS
"""
FLOOR_CREATE: LiteralString = "UNWIND $rows AS r CREATE (:BenchFloor {id: r.id})"
FLOOR_DROP: LiteralString = """
MATCH (n:BenchFloor) CALL (n) { DELETE n } IN TRANSACTIONS OF 20000 ROWS
"""
# The check after the load (not timed): the stored cells beside a recount of every volunteer's
# stored entries (COUNT_ALL_CELLS's aggregation), and a sample of stored entries beside what
# the writers' Cypher (VOLUNTEER_ENTRIES) computes for those volunteers now.
RECOUNT_CELLS: LiteralString = """
CALL {
  MATCH (v:Volunteer)
""" + ENTRY_COUNTS + """  RETURN collect([key, n, size(exps)]) AS recount
}
CALL {
  MATCH (c:SupplyCell)
  RETURN collect([c.key, c.count, size(c.exps)]) AS stored
}
RETURN recount, stored
"""
SAMPLE_ENTRIES: LiteralString = (
    "MATCH (v:Volunteer) WITH v ORDER BY v.id LIMIT $limit\n"
    + VOLUNTEER_ENTRIES
    + "RETURN count(*) AS sampled, sum(CASE WHEN entries = v.supplyEntries THEN 0 ELSE 1 END)"
    " AS differing"
)
COUNTS: LiteralString = """
CALL { MATCH (v:Volunteer) RETURN count(v) AS volunteers }
CALL { MATCH (:Volunteer)-[r]->() RETURN count(r) AS relationships }
RETURN volunteers, relationships
"""


def _local_server_pid(uri: str) -> int | None:
    """The pid of the project's own DEV Neo4j (var/dev/neo4j.pid) when the URI points at it."""
    pid_file = ROOT / "var" / "dev" / "neo4j.pid"
    if ":7687" not in uri or not pid_file.exists():
        return None
    try:
        pid = int(pid_file.read_text().strip())
        _cpu_seconds(pid)
    except (ValueError, OSError):
        return None
    return pid


def _cpu_seconds(pid: int | None) -> float:
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def bench(volunteers: int, seed: int, batch: int, writers: int, bulk: bool) -> int:
    settings = get_settings()
    if TEST_PORT in settings.neo4j_uri:
        print(
            f"bench/seed.py: refusing to wipe {settings.neo4j_uri} (the TEST database); "
            'run `eval "$(scripts/services.sh env dev)"` first',
            file=sys.stderr,
        )
        return 2
    driver = create_driver(settings)
    try:
        await check_connection(driver)
        print(f"wiping the DEV database at {settings.neo4j_uri} ...", file=sys.stderr)
        async with driver.session() as session:
            await (await session.run(WIPE_RELATIONSHIPS)).consume()
            await (await session.run(WIPE_NODES)).consume()
        await apply_schema(driver)
        await load_reference_data(driver)

        # Floor: bare node creation, same count, same batch size, same server.
        ids = [{"id": f"F{i:07d}"} for i in range(volunteers)]
        t0 = time.perf_counter()
        for i in range(0, volunteers, batch):
            await driver.execute_query(FLOOR_CREATE, rows=ids[i : i + batch])
        floor = time.perf_counter() - t0
        async with driver.session() as session:
            await (await session.run(FLOOR_DROP)).consume()

        progress = Progress(volunteers, "volunteers")
        server_pid = _local_server_pid(settings.neo4j_uri)
        server_cpu0 = _cpu_seconds(server_pid)
        client_cpu0 = time.process_time()
        options = SeedOptions(
            volunteers=volunteers, seed=seed, id_secret=settings.id_secret,
            batch_size=batch, writers=writers, bulk=bulk,
        )
        stats, index_seconds, bulk_used = await load_people(
            driver, options, existing=0, on_progress=progress.update
        )
        server_cpu = _cpu_seconds(server_pid) - server_cpu0
        client_cpu = time.process_time() - client_cpu0
        # Leave DEV as `tahaluf seed --seed N` would (not timed): the Ramadan campaign too.
        await load_campaign(driver, generate_campaign(CampaignConfig(seed=seed)))
        records, _, _ = await driver.execute_query(COUNTS)
        got_v, got_r = records[0]["volunteers"], records[0]["relationships"]
        check, _, _ = await driver.execute_query(RECOUNT_CELLS)
        recount = sorted(map(tuple, check[0]["recount"]))
        stored = sorted(map(tuple, check[0]["stored"]))
        sample, _, _ = await driver.execute_query(
            SAMPLE_ENTRIES, limit=5000, maxLevel=MAX_LEVEL, withdraw=False
        )
    finally:
        await driver.close()

    load = stats.seconds + index_seconds
    verdict = "OK" if load <= TARGET_SECONDS else "OVER TARGET"
    load_avg = os.getloadavg()[0]
    print(
        f"\nseed load of {volunteers:,} volunteers (batch {batch}, writers {writers}, bulk {bulk_used}, "
        f"cpus {os.cpu_count()}, load average at end {load_avg:.1f})"
    )
    print(f"{'what':<34}{'seconds':>9}{'nodes/s':>11}{'rels/s':>11}")
    print(
        f"{'floor: bare CREATE (:BenchFloor)':<34}{floor:>9.1f}{volunteers / floor:>11,.0f}"
        f"{'-':>11}"
    )
    print(
        f"{'tahaluf seed (volunteers + rels)':<34}{load:>9.1f}{volunteers / load:>11,.0f}"
        f"{stats.relationships / load:>11,.0f}"
    )
    if bulk_used:
        print(f"{'  of which indexes + supply cells':<34}{index_seconds:>9.1f}")
    print(f"{'target (DESIGN.md)':<34}{TARGET_SECONDS:>9.1f}")
    if server_pid is not None:
        # CPU seconds do not stretch when other processes crowd the machine, wall seconds do.
        print(f"CPU spent during the load: Neo4j {server_cpu:.1f}s, this client {client_cpu:.1f}s "
              f"(wall {load:.1f}s on {os.cpu_count()} cpus shared with load average "
              f"{load_avg:.1f})")
    print(
        f"loaded {got_v:,} volunteers and {got_r:,} relationships from volunteers "
        f"({stats.relationships:,} created in this run); {verdict}: {load:.1f}s vs "
        f"{TARGET_SECONDS:.0f}s target, {load / floor:.1f}x the bare-node floor"
    )
    cells_ok = recount == stored
    entries_ok = sample[0]["differing"] == 0
    print(
        f"supply cells: {len(stored):,} ({sum(c[1] for c in stored):,} entries); the same as a "
        f"recount of the stored entries: {'yes' if cells_ok else 'NO'}; the entries of "
        f"{sample[0]['sampled']:,} volunteers beside the writers' Cypher: "
        f"{'the same' if entries_ok else str(sample[0]['differing']) + ' DIFFER'}"
    )
    return 0 if got_v == volunteers and cells_ok and entries_ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--volunteers", type=int, default=250_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=10_000)
    parser.add_argument("--writers", type=int, default=1)
    parser.add_argument("--no-bulk", action="store_true",
                        help="keep the Volunteer search indexes during the load")
    args = parser.parse_args()
    try:
        return asyncio.run(bench(args.volunteers, args.seed, args.batch_size, args.writers, not args.no_bulk))
    except GraphUnavailable as exc:
        print(f"bench/seed.py: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
