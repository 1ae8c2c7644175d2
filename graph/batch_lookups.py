"""Re-exports only, for the modules outside this change that still import from here
(graph/assignments.py, tests/graph/test_volunteer_assignments.py): the reads live in
graph/assignment_reads.py. Delete this module once they import from there."""

from __future__ import annotations

from collections.abc import Sequence

from neo4j import AsyncDriver

from graph.assignment_reads import ACTIVE_STATUSES, get_assignments
from graph.keyed_reads import Row

__all__ = ["ACTIVE_STATUSES", "assignments_by_ids"]


async def assignments_by_ids(driver: AsyncDriver, ids: Sequence[str]) -> list[Row]:
    """The rows `get_assignments` finds (the old contract: no None entries)."""
    return [row for row in await get_assignments(driver, ids) if row is not None]
