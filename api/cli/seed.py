"""`tahaluf seed`: load the synthetic alliance (volunteers, associations, Ramadan campaign)."""

from __future__ import annotations

import argparse
import asyncio
import sys

from graph.driver import check_connection, create_driver, unavailable_error
from graph.errors import GraphUnavailable
from graph.seed_load import Progress
from graph.seed_run import SeedOptions, SeedReport, run_seed
from graph.settings import get_settings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "seed", help="load a synthetic alliance into Neo4j (idempotent: same seed, same ids)"
    )
    parser.add_argument("--volunteers", type=int, default=250_000, help="how many volunteers")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same data)")
    parser.add_argument("--if-empty", action="store_true",
                        help="do nothing if the graph (or the --id-prefix namespace) has volunteers")
    parser.add_argument("--id-prefix", default="",
                        help="namespace every seeded id (e.g. for tests); namespaced "
                             "associations lend to no one")
    parser.add_argument("--batch-size", type=int, default=10_000, help="rows per transaction")
    parser.add_argument("--bulk", action="store_true",
                        help="when the graph has no volunteer at all: drop the Volunteer "
                             "search indexes during the load and rebuild them after")
    parser.add_argument("--writers", type=int, default=1, help="concurrent write transactions")
    parser.set_defaults(func=run)


async def seed(args: argparse.Namespace) -> SeedReport:
    settings = get_settings()
    driver = create_driver(settings)
    progress = Progress(args.volunteers, "volunteers")
    try:
        await check_connection(driver)
        try:
            return await run_seed(driver, SeedOptions(
                volunteers=args.volunteers, seed=args.seed, id_prefix=args.id_prefix,
                id_secret=settings.id_secret, if_empty=args.if_empty,
                batch_size=args.batch_size, writers=args.writers, bulk=args.bulk,
            ), on_progress=progress.update)
        except Exception as exc:
            error = unavailable_error(driver, exc)
            if error is None:
                raise
            raise error from None
    finally:
        await driver.close()


def run(args: argparse.Namespace) -> int:
    if args.volunteers < 0:
        print("tahaluf seed: --volunteers must be >= 0", file=sys.stderr)
        return 2
    if args.batch_size < 1 or args.writers < 1:
        print("tahaluf seed: --batch-size and --writers must be >= 1", file=sys.stderr)
        return 2
    try:
        report = asyncio.run(seed(args))
    except GraphUnavailable as exc:
        print(f"tahaluf seed: {exc}", file=sys.stderr)
        return 1
    if report.skipped:
        print("tahaluf seed: the graph already has volunteers; nothing to do (--if-empty)")
        return 0
    rate = report.volunteers / report.volunteer_seconds if report.volunteer_seconds else 0.0
    rebuild = f", index rebuild and supply cells {report.index_seconds:.1f}s" if report.bulk else ""
    print(f"seeded {report.volunteers:,} volunteers ({report.mode}, "
          f"{report.relationships:,} relationships created) in {report.volunteer_seconds:.1f}s "
          f"({rate:,.0f}/s{rebuild}); "
          f"{report.events} events, {report.shifts} shifts")
    return 0
