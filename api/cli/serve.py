"""`tahaluf serve`: migrate (schema + reference data), start the worker, run the API (in
`--workers` processes on one port, TAHALUF_API_WORKERS, default 1).

Prints the GraphiQL URL and an ADMIN development token. When Neo4j is down or refuses the
password it says so in one line and exits 1.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import subprocess
import sys

WORKER_STOP_SECONDS = 10


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("serve", help="run the GraphQL API (and the background worker)")
    parser.add_argument("--host", help="default: TAHALUF_API_HOST (127.0.0.1)")
    parser.add_argument("--port", type=int, help="default: TAHALUF_API_PORT (8000)")
    parser.add_argument(
        "--workers", type=int, help="API processes on the port, default: TAHALUF_API_WORKERS (1)"
    )
    parser.add_argument("--no-worker", action="store_true", help="do not start `tahaluf worker`")
    parser.set_defaults(func=run)


def _start_worker() -> subprocess.Popen[bytes] | None:
    if importlib.util.find_spec("api.cli.worker") is None:
        print("warning: `tahaluf worker` is not available; matching runs will wait in the queue")
        return None
    return subprocess.Popen([sys.executable, "-m", "api.cli.main", "worker"])


def _stop_worker(worker: subprocess.Popen[bytes] | None) -> None:
    if worker is None or worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout=WORKER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from api.auth import mint_token
    from api.cli.schema_cmd import migrate
    from graph.errors import GraphUnavailable
    from graph.settings import get_settings

    settings = get_settings()
    processes = settings.api_workers if args.workers is None else args.workers
    if processes < 1:
        print(f"tahaluf serve: --workers must be at least 1, not {processes}", file=sys.stderr)
        return 2
    try:
        print(asyncio.run(migrate()))
    except GraphUnavailable as exc:
        print(f"tahaluf serve: {exc}", file=sys.stderr)
        return 1
    host = args.host or settings.api_host
    port = args.port or settings.api_port
    worker = None if args.no_worker else _start_worker()
    token = mint_token(settings.jwt_secret, role="ADMIN", sub="dev-admin", hours=24)
    print(f"GraphiQL: http://{host}:{port}/graphql")
    print(f"ADMIN development token (24 h): {token}")
    print("  send it as the header  Authorization: Bearer <token>")
    try:
        uvicorn.run(
            "api.app:create_app",
            factory=True,
            host=host,
            port=port,
            log_level="info",
            workers=processes if processes > 1 else None,
        )
    finally:
        _stop_worker(worker)
    return 0
