"""What runs inside the worker's process pool: instance dict in, result dict out.

SciPy is CPU-bound, so it never runs on the worker's event loop: the matching task sends the
INSTANCE.md dict here with `loop.run_in_executor(pool, solve_instance, ...)`. The engine's
progress (0..1) is written to a Redis key the task polls, since a child process cannot touch
the parent's Neo4j driver or event loop.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any


def progress_key(run_id: str) -> str:
    return f"tahaluf:run-progress:{run_id}"


def warm_up() -> bool:
    """Import the engine (NumPy, SciPy) once per child, before the first real request."""
    import engine.matching.result  # noqa: F401
    import engine.matching.solve  # noqa: F401

    return True


class _ProgressWriter:
    """Engine progress callback: writes the fraction to Redis at most every 50 ms."""

    def __init__(self, redis_url: str | None, run_id: str | None) -> None:
        self._key = progress_key(run_id) if run_id else None
        self._client: Any = None
        self._last = 0.0
        if redis_url and run_id:
            import redis

            self._client = redis.Redis.from_url(redis_url)

    def __call__(self, fraction: float, *_: Any, **__: Any) -> None:
        if self._client is None or self._key is None:
            return
        now = time.monotonic()
        if now - self._last < 0.05 and fraction < 1.0:
            return
        self._last = now
        try:
            self._client.set(self._key, f"{float(fraction):.4f}", ex=3600)
        except Exception:  # progress is best effort; the solve must go on
            self._client = None

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


def solve_instance(
    instance: Mapping[str, Any],
    run_id: str | None = None,
    redis_url: str | None = None,
    submitted_at: float | None = None,
) -> dict[str, Any]:
    """parse_instance -> solve -> solution_to_dict ("tahaluf-result/1" with cost and terms).

    The result also carries "timings" (seconds): `transfer` (from `submitted_at`, the parent's
    wall clock when it handed the instance over, to the start here: pickling, the pool's queue,
    unpickling), `parse`, `solve` and `result`; the worker pops it for its timing log."""
    started = time.time()
    from engine.matching.instance import parse_instance
    from engine.matching.result import solution_to_dict
    from engine.matching.solve import solve

    writer = _ProgressWriter(redis_url, run_id)
    try:
        mark = time.perf_counter()
        problem = parse_instance(instance)
        parsed = time.perf_counter()
        solution = solve(problem, progress=writer)
        solved = time.perf_counter()
        out = solution_to_dict(problem, solution)
        out["timings"] = {
            "transferS": round(max(0.0, started - submitted_at), 4) if submitted_at else None,
            "parseS": round(parsed - mark, 4),
            "solveS": round(solved - parsed, 4),
            "resultS": round(time.perf_counter() - solved, 4),
        }
        return out
    finally:
        writer.close()
