"""Seed sweep: the engine against the exact MILP on many generated instances of one size.

    python bench/sweep.py [--volunteers 1000] [--slots 300] [--days 7] [--seeds 1-60]
                          [--start 2026-04-20] [--no-exchange] [--milp-time-limit 120]

The matching bench (bench/matching.py) runs one seed per size; this runs many, so a result
that is exact on one seed but not on others shows. Per seed: both results re-checked by the
independent validator, filled slots and objective of each, and the engine's excess over the
optimum (an "above" row says by how much and whether the fill differs). The summary counts
seeds equal to the optimum (within 1e-4), seeds with fewer slots filled, and the engine's
slowest seed beside the MILP's.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
# run as a script, bench/ is sys.path[0] and bench/api.py would shadow the api package
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

EQUAL_TOL = 1e-4  # objective units: the MILP's own rounding is far below one cost unit


def seed_range(text: str) -> list[int]:
    """``"1-60"`` or ``"5,22,23"``."""
    out: list[int] = []
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        out.extend(range(int(lo), int(hi or lo) + 1))
    return out


def run_seed(args: argparse.Namespace, seed: int) -> dict[str, Any]:
    from api.cli.instance import solve_with
    from engine.matching.generate import generate_instance
    from engine.matching.validate import validate

    start = date.fromisoformat(args.start) if args.start else None
    instance = generate_instance(
        args.volunteers, args.slots, args.days, seed=seed, start=start, exchange=args.exchange
    )
    row: dict[str, Any] = {"seed": seed}
    for solver, limit in (("tahaluf", 60.0), ("milp", args.milp_time_limit)):
        began = time.perf_counter()
        result = solve_with(solver, instance, limit)
        seconds = time.perf_counter() - began
        report = validate(instance, result)
        if report.violations:
            raise SystemExit(f"seed {seed}: {solver} result invalid: {report.violations[:3]}")
        row[solver] = {"seconds": seconds, "filled": report.filled, "objective": report.objective}
        if solver == "milp":
            row["optimal"] = bool(result.get("stats", {}).get("optimal"))
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--volunteers", type=int, default=1000)
    parser.add_argument("--slots", type=int, default=300)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--seeds", type=seed_range, default=seed_range("1-60"))
    parser.add_argument("--start", default=None, help="first local day, e.g. 2026-04-20 (DST)")
    parser.add_argument("--no-exchange", dest="exchange", action="store_false")
    parser.add_argument("--milp-time-limit", type=float, default=120.0)
    args = parser.parse_args(argv)
    print(
        f"# {args.volunteers} volunteers, {args.slots} slots, {args.days} days, exchange "
        f"{'on' if args.exchange else 'off'}, seeds {args.seeds[0]}..{args.seeds[-1]}",
        flush=True,
    )
    print(f"{'seed':>5} {'engine':>22} {'s':>6} {'MILP':>22} {'s':>6}  verdict", flush=True)
    rows = []
    for seed in args.seeds:
        row = run_seed(args, seed)
        rows.append(row)
        e, m = row["tahaluf"], row["milp"]
        excess = e["objective"] - m["objective"]
        if not row["optimal"]:
            verdict = "MILP not proven optimal"
        elif excess <= EQUAL_TOL:
            verdict = "= optimum" if excess >= -EQUAL_TOL else f"BELOW the optimum by {-excess:.4f}"
        else:
            fewer = m["filled"] - e["filled"]
            verdict = f"above by {excess:.3f} ({excess / abs(m['objective']) * 100:.4f} %)"
            verdict += f", {fewer} slot(s) fewer" if fewer > 0 else ", same fill"
        print(
            f"{seed:>5} {e['filled']:>6} {e['objective']:>15.3f} {e['seconds']:>6.2f} "
            f"{m['filled']:>6} {m['objective']:>15.3f} {m['seconds']:>6.2f}  {verdict}",
            flush=True,
        )
    proven = [r for r in rows if r["optimal"]]
    equal = sum(1 for r in proven if r["tahaluf"]["objective"] - r["milp"]["objective"] <= EQUAL_TOL)
    short = sum(1 for r in proven if r["tahaluf"]["filled"] < r["milp"]["filled"])
    slowest = max(r["tahaluf"]["seconds"] for r in rows)
    milp_slowest = max(r["milp"]["seconds"] for r in rows)
    print(
        f"# {equal}/{len(proven)} seeds equal to the proven optimum; {short} with fewer slots "
        f"filled; engine slowest {slowest:.2f} s (MILP slowest {milp_slowest:.2f} s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
