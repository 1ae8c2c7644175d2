"""Benchmark: the skill-gap report over all 27 governorates and a 30-day window.

Runs `graph.skill_gaps.skill_gaps` (demand, then supply from the supply cells, in one read
transaction) against the DEV database (`make services-up`, `make seed`: 250K volunteers with
their derived properties and supply cells; `tahaluf migrate` brings an older graph up to date)
about 20 times after a warm-up and prints p50/p95 beside the 1 s target, plus the size of the
answer and of the cells so the numbers can be judged. In the same run, interleaved with the
report so machine load hits both alike, it times the PEER: the same report with its supply
counted holding by holding (the statement the cells replaced: every qualifying HAS_SKILL
hash-joined with the active volunteers), and checks that both give the same rows.

    eval "$(scripts/services.sh env dev)"; .venv/bin/python bench/reports.py [--runs 20] [--from ISO]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import LiteralString

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from neo4j import AsyncDriver, AsyncManagedTransaction  # noqa: E402

from graph.assignment_reads import BOOKED_STATUSES  # noqa: E402
from graph.availability_spans import whole_week, window_spans  # noqa: E402
from graph.driver import check_connection, create_driver  # noqa: E402
from graph.skill_gaps import SKILL_DEMAND, skill_gaps  # noqa: E402

TARGET_S = 1.0
WINDOW = timedelta(days=30)

# The window starts with the first upcoming shift of a campaign (the seed's Ramadan drive),
# else with the first upcoming shift of any event.
FIRST_UPCOMING_SHIFT = """
CALL {
  MATCH (:Campaign)<-[:PART_OF]-(:Event)-[:HAS_SHIFT]->(s:Shift) WHERE s.startsAt >= $now
  RETURN min(s.startsAt) AS campaign
}
CALL { MATCH (s:Shift) WHERE s.startsAt >= $now RETURN min(s.startsAt) AS any }
RETURN coalesce(campaign, any) AS first
"""
SIZES = """
CALL { MATCH (v:Volunteer) RETURN count(v) AS volunteers }
CALL { MATCH (:Volunteer)-[h:HAS_SKILL]->() RETURN count(h) AS holdings }
CALL { MATCH (s:Shift) WHERE s.startsAt >= $from AND s.startsAt < $to RETURN count(s) AS shifts }
RETURN volunteers, holdings, shifts
"""


CELLS: LiteralString = """
MATCH (c:SupplyCell) RETURN count(c) AS cells, sum(c.count) AS entries
"""

# The peer: demand with the skills that qualify for each (the IMPLIES closure), then supply
# from every qualifying holding hash-joined with the active volunteers of the demanded
# governorates (graph/skill_gaps.py before the supply cells).
PEER_DEMAND: LiteralString = SKILL_DEMAND.replace(
    "RETURN s.code AS skill",
    """CALL (s) {
  MATCH (holder:Skill)-[:IMPLIES*0..]->(s)
  RETURN collect(DISTINCT holder.code) AS holders
}
RETURN holders, s.code AS skill""",
)
PEER_SUPPLY: LiteralString = """
MATCH (k:Skill) WHERE k.code IN $holderCodes
MATCH (k)<-[h:HAS_SKILL]-(v:Volunteer)
USING JOIN ON v
WHERE v.governorate IN $governorates AND v.active = true AND v.availSpans IS NOT NULL
  AND (h.expiresAt IS NULL OR h.expiresAt > $to)
WITH k, v, v.governorate AS governorate, h.level AS level
WHERE size(v.availSpans) > 0 AND ($allWeek OR any(i IN range(0, size($window) - 1, 2) WHERE
  any(j IN range(0, size(v.availSpans) - 1, 2) WHERE
      v.availSpans[j] < $window[i + 1] AND v.availSpans[j + 1] > $window[i])))
UNWIND $targets[k.code] AS target
WITH governorate, target, v, level
WHERE level >= $minLevels[governorate][target]
RETURN governorate, target AS skill, count(DISTINCT v) AS supply
"""


async def _peer_tx(
    tx: AsyncManagedTransaction, start: datetime, end: datetime
) -> list[tuple[str, str, int, int]]:
    demand = [r.data() async for r in await tx.run(
        PEER_DEMAND, {"from": start, "to": end, "governorate": None,
                      "filling": BOOKED_STATUSES})]
    targets: dict[str, set[str]] = {}
    min_levels: dict[str, dict[str, int]] = {}
    for row in demand:
        for holder in row["holders"]:
            targets.setdefault(holder, set()).add(row["skill"])
        min_levels.setdefault(row["governorate"], {})[row["skill"]] = int(row["minLevel"])
    window = window_spans(start, end)
    supply = {
        (r["skill"], r["governorate"]): int(r["supply"])
        async for r in await tx.run(PEER_SUPPLY, {
            "to": end, "governorates": sorted(min_levels), "holderCodes": sorted(targets),
            "targets": {code: sorted(skills) for code, skills in targets.items()},
            "minLevels": min_levels, "window": window, "allWeek": whole_week(window),
        })
    }
    return sorted(
        (r["skill"], r["governorate"], int(r["demand"]),
         supply.get((r["skill"], r["governorate"]), 0))
        for r in demand
    )


async def peer_report(
    driver: AsyncDriver, start: datetime, end: datetime
) -> list[tuple[str, str, int, int]]:
    async with driver.session() as session:
        return await session.execute_read(_peer_tx, start, end)


def load_average() -> str:
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "n/a"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--from", dest="start", help="window start (ISO with offset)")
    args = parser.parse_args()

    driver = create_driver()
    try:
        await check_connection(driver)
        now = datetime.now(UTC)
        if args.start:
            start = datetime.fromisoformat(args.start).astimezone(UTC)
        else:
            records, _, _ = await driver.execute_query(FIRST_UPCOMING_SHIFT, now=now)
            first = records[0]["first"]
            start = first.to_native().astimezone(UTC) if first is not None else now
        end = start + WINDOW
        records, _, _ = await driver.execute_query(SIZES, {"from": start, "to": end})
        sizes = records[0].data()
        print(
            f"skill gaps, all 27 governorates, window {start:%Y-%m-%d %H:%M} .. {end:%Y-%m-%d %H:%M} UTC"
        )
        print(
            f"graph: {sizes['volunteers']:,} volunteers, {sizes['holdings']:,} skill holdings, "
            f"{sizes['shifts']:,} shifts starting in the window"
        )
        records, _, _ = await driver.execute_query(CELLS)
        cells = records[0].data()
        print(f"supply cells: {cells['cells']:,} holding {cells['entries'] or 0:,} entries")
        for _ in range(args.warmup):
            rows = await skill_gaps(driver, start, end)
            peer = await peer_report(driver, start, end)
        timings: list[float] = []
        peer_timings: list[float] = []
        load_before = load_average()
        for _ in range(args.runs):
            t0 = time.perf_counter()
            rows = await skill_gaps(driver, start, end)
            timings.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            peer = await peer_report(driver, start, end)
            peer_timings.append(time.perf_counter() - t0)
        same = sorted((r.skill, r.governorate, r.demand, r.supply) for r in rows) == peer
        governorates = {r.governorate for r in rows}
        print(
            f"answer: {len(rows)} (skill, governorate) rows over {len(governorates)} governorates; "
            f"demand {sum(r.demand for r in rows):,}, supply {sum(r.supply for r in rows):,}, "
            f"largest gap {rows[0].gap if rows else 0}"
        )
        p50, p95 = statistics.median(timings), percentile(timings, 0.95)
        verdict = "meets" if p95 <= TARGET_S else "MISSES"
        print(
            f"{args.runs} runs: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
            f"max {max(timings) * 1000:.0f} ms   target p95 <= {TARGET_S * 1000:.0f} ms: {verdict}"
        )
        print(
            f"peer (supply counted holding by holding), same runs: p50 "
            f"{statistics.median(peer_timings) * 1000:.0f} ms, "
            f"p95 {percentile(peer_timings, 0.95) * 1000:.0f} ms; same rows as the report: "
            f"{'yes' if same else 'NO'}   load average before {load_before}, after {load_average()}"
        )
        one = []
        for _ in range(5):
            t0 = time.perf_counter()
            await skill_gaps(driver, start, end, "01")
            one.append(time.perf_counter() - t0)
        print(f"one governorate (01 Cairo), 5 runs: p50 {statistics.median(one) * 1000:.0f} ms")
        return 0 if p95 <= TARGET_S and same else 1
    finally:
        await driver.close()


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
