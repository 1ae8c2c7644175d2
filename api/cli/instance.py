"""`tahaluf generate-instance`, `tahaluf solve`, `tahaluf validate`: matching on instance files.

Files are JSON, gzip-compressed when the name ends in `.gz` (INSTANCE.md). A bad input file
prints one line `error: <file>: <json path>: <message>` on stderr and exits with code 2; an
invalid result makes `validate` exit with code 1.
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import json
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

EXIT_INVALID = 1
EXIT_BAD_INPUT = 2
SOLVERS = ("tahaluf", "greedy", "ortools", "timefold", "milp")
PEER_MODULES = {
    "greedy": "bench.peers.greedy",
    "ortools": "bench.peers.ortools_peer",
    "timefold": "bench.peers.timefold_peer",
    "milp": "bench.peers.milp",
}
REPO_ROOT = Path(__file__).resolve().parents[2]


class BadInput(Exception):
    """An input file that cannot be used; the message is printed after the file name."""


def read_document(path: str) -> Any:
    """Parse a JSON (or gzip JSON) file; BadInput on any I/O, gzip or JSON problem."""
    try:
        raw = Path(path).read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        return json.loads(raw)
    except FileNotFoundError:
        raise BadInput("no such file") from None
    except json.JSONDecodeError as exc:
        raise BadInput(
            f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile) as exc:
        raise BadInput(f"cannot read: {exc}") from None


def write_document(path: str, data: Any) -> None:
    """Write compact UTF-8 JSON, gzip-compressed (fast level) when the name ends in .gz."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    target = Path(path)
    if target.parent != Path():
        target.parent.mkdir(parents=True, exist_ok=True)
    if path.endswith(".gz"):
        with gzip.open(target, "wt", encoding="utf-8", compresslevel=3) as handle:
            handle.write(text)
    else:
        target.write_text(text, encoding="utf-8")


def fail(path: str, message: str) -> int:
    print(f"error: {path}: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def writable(path: str) -> str | None:
    """Why ``path`` cannot take an output file (checked before any work), or None."""
    target = Path(path)
    if target.is_dir():
        return "is a directory"
    if target.exists() and not target.is_file():
        return "is not a regular file"
    return None


def write_or_fail(path: str, data: Any) -> int:
    try:
        write_document(path, data)
    except OSError as exc:
        return fail(path, f"cannot write: {exc.strerror or exc}")
    return 0


def run_generate(args: argparse.Namespace) -> int:
    from engine.matching.generate import generate_instance

    for option, value in (("--volunteers", args.volunteers), ("--slots", args.slots), ("--days", args.days)):
        if value < 1:
            return fail(option, f"must be at least 1 (got {value})")
    try:
        start = date.fromisoformat(args.start) if args.start else None
    except ValueError:
        return fail("--start", f"not a date YYYY-MM-DD: {args.start!r}")
    problem = writable(args.out)
    if problem is not None:
        return fail(args.out, problem)
    began = time.perf_counter()
    data = generate_instance(
        args.volunteers,
        args.slots,
        args.days,
        args.seed,
        start=start,
        exchange=not args.no_exchange,
    )
    if write_or_fail(args.out, data):
        return EXIT_BAD_INPUT
    print(
        f"wrote {args.out}: {len(data['volunteers'])} volunteers, {len(data['shifts'])} shifts, "
        f"{args.slots} slots in {time.perf_counter() - began:.1f} s"
    )
    return 0


def solve_with(solver: str, instance: Any, time_limit: float) -> dict[str, Any]:
    """Run one solver on a checked instance dict and return its "tahaluf-result/1" dict."""
    if solver == "tahaluf":
        from engine.matching.instance import parse_instance
        from engine.matching.result import solution_to_dict
        from engine.matching.solve import solve

        began = time.perf_counter()
        problem = parse_instance(instance)
        result: dict[str, Any] = solution_to_dict(problem, solve(problem))
        result.setdefault("stats", {})
        result["stats"].setdefault("seconds", round(time.perf_counter() - began, 3))
        result["stats"].setdefault("solver", "tahaluf")
        return result
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    module = importlib.import_module(PEER_MODULES[solver])
    peer_result: dict[str, Any] = module.solve(instance, time_limit=time_limit)
    return peer_result


def run_solve(args: argparse.Namespace) -> int:
    from engine.matching.errors import InstanceError
    from engine.matching.instance import parse_instance

    try:
        instance = read_document(args.file)
        parse_instance(instance)
    except BadInput as exc:
        return fail(args.file, str(exc))
    except InstanceError as exc:
        return fail(args.file, f"{exc.path}: {exc.message}")
    problem = writable(args.out)
    if problem is not None:
        return fail(args.out, problem)
    result = solve_with(args.solver, instance, args.time_limit)
    if write_or_fail(args.out, result):
        return EXIT_BAD_INPUT
    filled = len(result.get("assignments", []))
    seconds = result.get("stats", {}).get("seconds")
    print(f"wrote {args.out}: {filled} assignments by {args.solver} in {seconds} s")
    return 0


def run_validate(args: argparse.Namespace) -> int:
    from engine.matching.validate import ValidationInputError, validate
    from engine.matching.validation_shape import check_instance, check_result

    documents = []
    for path, check in ((args.file, check_instance), (args.result, check_result)):
        try:
            document = read_document(path)
            check(document)
        except BadInput as exc:
            return fail(path, str(exc))
        except ValidationInputError as exc:
            return fail(path, f"{exc.path}: {exc.message}")
        documents.append(document)
    instance, result = documents
    try:
        report = validate(instance, result)
    except ValidationInputError as exc:
        return fail(args.result, f"{exc.path}: {exc.message}")
    share = 100.0 * report.filled / report.slots if report.slots else 100.0
    print(f"valid:      {'yes' if report.valid else 'NO'}")
    print(f"filled:     {report.filled}/{report.slots} ({share:.2f}%)")
    print(f"urgent:     {report.urgent_filled}/{report.urgent_slots}")
    print(f"cost:       {report.cost:.3f}")
    print(f"objective:  {report.objective:.3f}")
    print(f"violations: {len(report.violations)}")
    for line in report.violations[: args.show]:
        print(f"  {line}")
    if len(report.violations) > args.show:
        print(f"  ... and {len(report.violations) - args.show} more")
    return 0 if report.valid else EXIT_INVALID


def _count(text: str) -> int:
    """An argparse type: a whole number, 0 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more (got {value})")
    return value


def register(subparsers: Any) -> None:
    gen = subparsers.add_parser("generate-instance", help="write a realistic synthetic instance")
    gen.add_argument("--volunteers", type=int, required=True)
    gen.add_argument("--slots", type=int, required=True)
    gen.add_argument("--days", type=int, default=7)
    gen.add_argument("--seed", type=int, default=1)
    gen.add_argument("--start", help="first local day, YYYY-MM-DD (default 2026-11-30)")
    gen.add_argument("--no-exchange", action="store_true", help="no association lends")
    gen.add_argument("--out", required=True, help="FILE.json or FILE.json.gz")
    gen.set_defaults(func=run_generate)

    sol = subparsers.add_parser("solve", help="solve an instance file")
    sol.add_argument("file")
    sol.add_argument("--out", required=True)
    sol.add_argument("--solver", choices=SOLVERS, default="tahaluf")
    sol.add_argument("--time-limit", type=float, default=60.0, help="seconds, for peers")
    sol.set_defaults(func=run_solve)

    val = subparsers.add_parser("validate", help="re-check a result and print its score")
    val.add_argument("file")
    val.add_argument("result")
    val.add_argument("--show", type=_count, default=20, help="violations to print (0 or more)")
    val.set_defaults(func=run_validate)
