"""Matching benchmark: the Tahaluf engine against its peers on the same generated instances.

    python bench/matching.py [--sizes S,M,L] [--time-limit 60] [--solvers tahaluf,greedy,...]

Sizes: S (1K volunteers, 300 slots), M (25K, 5K), L (250K, 50K, exchange on), 7 days each.
Every solver runs in its own subprocess (peak memory = its max RSS, a crash or timeout becomes
a row, never a crashed bench); every result is re-checked by the independent validator. The gap
is measured against the best proven lower bound (MILP optimum, else the LP relaxation / MILP dual
/ CP-SAT bound). Finally the engine's time is set beside a bare SciPy solve on the engine's own
candidate graph.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
# run as a script, bench/ is sys.path[0] and bench/api.py would shadow the api package
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

SIZES = {
    "S": (1_000, 300, 7),
    "M": (25_000, 5_000, 7),
    "L": (250_000, 50_000, 7),
}
SOLVERS = ("tahaluf", "greedy", "ortools", "timefold", "milp")
# Peers whose full model is too large for the national instance within the time limit
SKIP_AT_L = {
    "ortools": "not run at L: at M (~90K edges) CP-SAT spends ~17 s building the model and "
    "stops at 60 s without proving optimality; L has over 10x the edges",
    "timefold": "not run at L: at M Timefold already overruns its limit by minutes (JPype "
    "write-back of the candidate ranges)",
    "milp": "not run at L: at M HiGHS needs ~55 s for the LP bound plus the MILP; L has over 10x "
    "the rows and the MILP grows much faster than linearly",
}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_one(solver: str, instance_path: str, out_path: str, time_limit: float) -> None:
    """Child process: load the instance, solve with one solver, write the result with stats."""
    from api.cli.instance import read_document, solve_with

    instance = read_document(instance_path)
    warm_imports(solver)  # import time is not solve time
    loaded_mb = peak_mb()
    began = time.perf_counter()
    if solver == "bare":
        result = bare_scipy(instance)
    else:
        result = solve_with(solver, instance, time_limit)
    wall = time.perf_counter() - began
    stats = result.setdefault("stats", {})
    stats["benchSeconds"] = wall
    stats["peakMB"] = peak_mb()
    stats["loadedMB"] = loaded_mb
    Path(out_path).write_text(json.dumps(result), encoding="utf-8")


def warm_imports(solver: str) -> None:
    import importlib

    from api.cli.instance import PEER_MODULES

    names = {
        "tahaluf": ["engine.matching.instance", "engine.matching.solve", "engine.matching.result"],
        "bare": ["engine.matching.instance", "engine.matching.candidates", "scipy.sparse.csgraph"],
        "timefold": [PEER_MODULES["timefold"], "timefold.solver"],
    }.get(solver, [PEER_MODULES.get(solver, "")])
    for module in names:
        if module:
            try:
                importlib.import_module(module)
            except ModuleNotFoundError as exc:
                raise SystemExit(
                    f"{solver}: the package {exc.name!r} is not installed "
                    "(pip install -e '.[bench,timefold]', or make bench)"
                ) from None


def bare_scipy(instance: dict[str, Any]) -> dict[str, Any]:
    """The engine's own candidate graph, solved by one bare SciPy call (no coupling)."""
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    from engine.matching.candidates import build_candidates, candidate_matrix
    from engine.matching.instance import parse_instance

    t0 = time.perf_counter()
    problem = parse_instance(instance)
    t1 = time.perf_counter()
    graph = build_candidates(problem)
    matrix = candidate_matrix(problem, graph)
    t2 = time.perf_counter()
    min_weight_full_bipartite_matching(matrix)
    t3 = time.perf_counter()
    return {
        "format": "bare",
        "stats": {
            "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
            "parseSeconds": t1 - t0,
            "graphSeconds": t2 - t1,
            "solveSeconds": t3 - t2,
            "edges": int(matrix.nnz),
        },
    }


def spawn(
    solver: str, instance_path: str, time_limit: float, workdir: str
) -> tuple[dict[str, Any] | None, str]:
    out = os.path.join(workdir, f"result-{solver}.json")
    if os.path.exists(out):
        os.remove(out)
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--run-one",
        solver,
        "--instance",
        instance_path,
        "--out",
        out,
        "--time-limit",
        str(time_limit),
    ]
    budget = 3 * time_limit + 300
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=budget, cwd=str(ROOT))
    except subprocess.TimeoutExpired:
        return None, f"killed after {budget:.0f} s"
    if proc.returncode != 0 or not os.path.exists(out):
        tail = (proc.stderr or proc.stdout).strip().splitlines()
        return None, f"failed (exit {proc.returncode}): {tail[-1] if tail else 'no output'}"
    return json.loads(Path(out).read_text(encoding="utf-8")), ""


def lower_bound(rows: list[dict[str, Any]]) -> tuple[float | None, str]:
    """Best proven lower bound on the objective among the exact peers' outputs."""
    best: float | None = None
    label = ""
    for row in rows:
        stats = (row.get("result") or {}).get("stats", {})
        if not row.get("valid"):
            continue
        candidates: list[tuple[float, str]] = []
        if stats.get("optimal"):
            candidates.append((row["objective"], f"{row['solver']} optimum"))
        for key, name in (
            ("lpBound", "LP bound"),
            ("dualBound", "MILP dual bound"),
            ("bound", "CP-SAT bound"),
        ):
            if isinstance(stats.get(key), int | float):
                candidates.append((float(stats[key]), name))
        for value, name in candidates:
            if best is None or value > best + 1e-9:
                best, label = value, name
    return best, label


def bench_size(
    name: str, time_limit: float, solvers: list[str], workdir: str, milp_limit: float | None = None
) -> list[dict[str, Any]]:
    from api.cli.instance import write_document
    from engine.matching.generate import generate_instance
    from engine.matching.validate import validate

    volunteers, slots, days = SIZES[name]
    t0 = time.perf_counter()
    instance = generate_instance(volunteers, slots, days, seed=20261125, exchange=True)
    path = os.path.join(workdir, f"instance-{name}.json")
    write_document(path, instance)
    print(
        f"# {name}: {volunteers} volunteers, {len(instance['shifts'])} shifts, {slots} slots, "
        f"{days} days (generated and written in {time.perf_counter() - t0:.1f} s)",
        flush=True,
    )
    rows: list[dict[str, Any]] = []
    for solver in solvers:
        row: dict[str, Any] = {"instance": name, "solver": solver}
        rows.append(row)
        if name == "L" and solver in SKIP_AT_L:
            row["note"] = SKIP_AT_L[solver]
            continue
        limit = milp_limit if solver == "milp" and milp_limit else time_limit
        result, error = spawn(solver, path, limit, workdir)
        if result is None:
            row["note"] = error
            continue
        row["result"] = result
        stats = result.get("stats", {})
        row["seconds"] = stats.get("benchSeconds")
        row["peakMB"] = stats.get("peakMB")
        if stats.get("failed"):
            row["note"] = str(stats["failed"])
        try:
            report = validate(instance, result)
        except Exception as exc:  # a malformed result is a row, not a crash
            row["note"] = f"result rejected by the validator: {exc}"
            continue
        row.update(
            valid=report.valid,
            filled=report.filled,
            slots=report.slots,
            urgent_filled=report.urgent_filled,
            urgent_slots=report.urgent_slots,
            cost=report.cost,
            objective=report.objective,
        )
        if not report.valid:
            row["note"] = f"{len(report.violations)} violations, first: {report.violations[0]}"
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        row["load"] = load
        print(f"  {solver}: done in {row['seconds']:.1f} s (load {load})", flush=True)
    bound, label = lower_bound(rows)
    for row in rows:
        if bound and "objective" in row:
            row["gap"] = (row["objective"] - bound) / bound
            row["bound"] = label
    if "tahaluf" in solvers:
        bare, error = spawn("bare", path, time_limit, workdir)
        engine = next((r for r in rows if r["solver"] == "tahaluf" and "seconds" in r), None)
        rows.append(
            {
                "instance": name,
                "solver": "bare-scipy",
                "bare": bare,
                "engine": engine,
                "note": error,
            }
        )
    return rows


def fmt_row(row: dict[str, Any]) -> str:
    if row["solver"] == "bare-scipy":
        return ""
    if "objective" not in row:
        return f"| {row['instance']} | {row['solver']} | - | - | - | - | - | - | - | - | - | {row.get('note', '')} |"
    gap = f"{100 * row['gap']:.3f}% ({row['bound']})" if "gap" in row else "n/a"
    return (
        f"| {row['instance']} | {row['solver']} | {row['seconds']:.2f} | {row['filled']}/{row['slots']} "
        f"| {row['urgent_filled']}/{row['urgent_slots']} | {row['cost']:.1f} | {row['objective']:.1f} "
        f"| {gap} | {'yes' if row['valid'] else 'NO'} | {row['peakMB']:.0f} | {row.get('load', '')} "
        f"| {row.get('note', '')} |"
    )


def print_table(rows: list[dict[str, Any]]) -> None:
    print()
    print(
        "| instance | solver | seconds | filled/slots | urgent | cost | objective | gap to bound | valid | peak MB | load | note |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        line = fmt_row(row)
        if line:
            print(line)
    print()
    for row in rows:
        if row["solver"] != "bare-scipy":
            continue
        bare, engine = row.get("bare"), row.get("engine")
        if not bare or not engine:
            print(
                f"{row['instance']}: engine vs bare SciPy: not measured ({row.get('note') or 'engine failed'})"
            )
            continue
        for line in ratio_lines(row["instance"], bare["stats"], engine):
            print(line)


def ratio_lines(name: str, b: dict[str, Any], engine: dict[str, Any]) -> list[str]:
    """The engine's time over the bare SciPy solve, each side measured the same way.

    The floor is ONE ``min_weight_full_bipartite_matching`` call on ``candidate_matrix`` of the
    very candidate graph the engine builds (``build_candidates`` with the engine's limits): every
    slot a row, every volunteer a column, an unfilled column per slot. It ignores everything
    that couples slots (rest and overlap between a volunteer's shifts, weekly hours, lender
    quotas), so it is a floor, not a competing solver. Three ratios, like over like:
    - solver: the engine's ``solve`` minus its candidate build, over the bare call alone;
    - with graph: the engine's ``solve`` (candidate build included) over build + bare call;
    - end to end: the engine's parse + solve + result, over parse + build + bare call.
    """
    e = engine["result"]["stats"]
    solve_s = float(e.get("seconds", 0.0))
    cand_s = float(e.get("candidateSeconds", 0.0))
    floor = max(b["solveSeconds"], 1e-9)
    with_graph = max(b["graphSeconds"] + b["solveSeconds"], 1e-9)
    end_to_end = max(b["parseSeconds"] + b["graphSeconds"] + b["solveSeconds"], 1e-9)
    load = b.get("load", "?")
    return [
        f"{name}: bare SciPy floor: one min_weight_full_bipartite_matching on the engine's "
        f"candidate graph ({b['edges']} entries incl. one unfilled column per slot): "
        f"{b['solveSeconds']:.3f} s; graph build {b['graphSeconds']:.3f} s; parse "
        f"{b['parseSeconds']:.3f} s (load {load})",
        f"{name}: engine: solve {solve_s - cand_s:.3f} s after a {cand_s:.3f} s candidate build "
        f"({e.get('scipyCalls')} SciPy calls, {e.get('scipySeconds')} s inside SciPy); end to end "
        f"{engine['seconds']:.3f} s",
        f"{name}: engine/bare: solver {(solve_s - cand_s) / floor:.2f}x (target <= 2x), with graph "
        f"{solve_s / with_graph:.2f}x, end to end {engine['seconds'] / end_to_end:.2f}x",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="S,M,L")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument(
        "--milp-time-limit",
        type=float,
        default=180.0,
        help="time limit of the exact MILP's LP and MILP solves, each (default 180 s: at M, "
        "with every lender of a borrowed volunteer as its own edge, HiGHS proves the optimum in "
        "about 55 s on two cores, too close to the peers' 60 s)",
    )
    parser.add_argument("--solvers", default=",".join(SOLVERS))
    parser.add_argument("--run-one", help=argparse.SUPPRESS)
    parser.add_argument("--instance", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run_one:
        run_one(args.run_one, args.instance, args.out, args.time_limit)
        return 0
    sizes = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    solvers = [s.strip() for s in args.solvers.split(",") if s.strip()]
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="tahaluf-bench-") as workdir:
        for name in sizes:
            rows.extend(bench_size(name, args.time_limit, solvers, workdir, args.milp_time_limit))
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
