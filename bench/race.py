"""Double bookings after 1,000 concurrent conflicting requests (DESIGN.md target: 0).

    scripts/services.sh up test
    set -a; eval "$(scripts/services.sh env test)"; set +a
    TAHALUF_JWT_SECRET=... TAHALUF_ID_SECRET=... python bench/race.py [--requests 1000] [--seed 1]

Runs tests/api/race_scenario.py at full size on the TEST services (it writes: its own uniquely
named associations, volunteers, events, shifts, assignments and runs, all deleted at the end):
the real app under uvicorn on a loopback port, two real arq worker processes, 1,000 requests
sent at once — requestVolunteers of several associations on overlapping shifts, accepts racing
cancels on the same assignments, declines triggering refills — then the Cypher check for
overlapping / too-close active assignments, overfilled needs and lenders past their quota. Prints the answers by kind
(p50/p95), the runs, and the two counts beside the target, with the load average.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.driver import check_connection, create_driver  # noqa: E402
from graph.settings import Settings  # noqa: E402
from tests.api.race_scenario import Size, race  # noqa: E402
from tests.workers.matching_world import MatchingWorld  # noqa: E402


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--settle-timeout", type=float, default=1200)
    args = parser.parse_args()
    settings = Settings()
    driver = create_driver(settings)
    await check_connection(driver)
    world = MatchingWorld(driver)
    size = Size.for_requests(args.requests)
    print(
        f"world: {size.associations} associations lending to each other, {size.volunteers} "
        f"volunteers, {size.rows} rows of overlapping shifts; load {os.getloadavg()[0]:.1f}"
    )
    try:
        report = await race(world, settings, size, seed=args.seed, settle_timeout=args.settle_timeout)
    finally:
        await world.cleanup()
        await driver.close()
    for line in report.lines():
        print(line)
    bad = len(report.violations) + len(report.overfilled) + len(report.over_quota)
    print(
        f"double bookings after {len(report.sent)} concurrent conflicting requests: "
        f"{len(report.violations)} (target 0); overfilled needs {len(report.overfilled)}; "
        f"lenders past their quota {len(report.over_quota)}; load {os.getloadavg()[0]:.1f}"
    )
    for v in report.violations[:10]:
        print("  ", v)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
