"""`tahaluf worker --queue urgent|default|all`: run the arq worker(s).

`all` (what `make run` uses) runs the default and the urgent queue in one process: two arq
Worker instances sharing one Neo4j driver and one solver process pool.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

QUEUE_CHOICES = ("default", "urgent", "all")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("worker", help="run the background worker (arq)")
    parser.add_argument(
        "--queue",
        choices=QUEUE_CHOICES,
        default="all",
        help="which queue to serve: urgent, default, or all (both in one process)",
    )
    parser.add_argument("--burst", action="store_true", help="process what is queued, then exit")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    queues = ["urgent", "default"] if args.queue == "all" else [args.queue]
    from graph.errors import GraphUnavailable
    from workers.settings import run_workers

    try:
        asyncio.run(run_workers(queues, burst=args.burst))
    except GraphUnavailable as exc:
        print(f"tahaluf worker: {exc}", file=sys.stderr)
        return 1
    except (ConnectionError, OSError) as exc:
        print(f"tahaluf worker: cannot reach Redis: {exc}", file=sys.stderr)
        return 1
    return 0
