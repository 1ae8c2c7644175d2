"""Where a matching run's time goes, stage by stage: one log line per run for operators.

A run's stages (queue wait, start, index, load, solve, commit, publish, ...) are timed with
`RunClock.stage(name)`; extra facts (volunteers loaded, statements, the child's parse/solve
split) are added with `note`. `line()` is the log line; `as_json()` is stored on the run node
(`MatchingRun.timings`) so a slow run can be explained after the fact.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any


class RunClock:
    """Stage durations of one run, in the order they happened."""

    def __init__(self) -> None:
        self._started = time.perf_counter()
        self.stages: dict[str, float] = {}
        self.notes: dict[str, Any] = {}

    def add(self, name: str, seconds: float) -> None:
        self.stages[name] = self.stages.get(name, 0.0) + max(0.0, seconds)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        mark = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - mark)

    def note(self, **facts: Any) -> None:
        self.notes.update(facts)

    def queued_since(self, enqueued: datetime | None) -> None:
        """The time the job waited in Redis before this worker picked it up."""
        if enqueued is None:
            return
        if enqueued.tzinfo is None:
            enqueued = enqueued.replace(tzinfo=UTC)
        self.add("queue", (datetime.now(UTC) - enqueued).total_seconds())

    @property
    def elapsed(self) -> float:
        """Seconds since the worker started the job (the queue wait is not included)."""
        return time.perf_counter() - self._started

    def as_dict(self) -> dict[str, Any]:
        return {
            "stages": {k: round(v, 4) for k, v in self.stages.items()},
            "workerS": round(self.elapsed, 4),
            **self.notes,
        }

    def as_json(self) -> str:
        return json.dumps(self.as_dict(), sort_keys=True)

    def line(self) -> str:
        parts = [f"{k} {v * 1000:.0f} ms" for k, v in self.stages.items()]
        facts = [f"{k}={v}" for k, v in self.notes.items()]
        return f"in worker {self.elapsed * 1000:.0f} ms: " + ", ".join(parts + facts)
