"""Reads of one shift's or one volunteer's assignments expand from that node, never through
the Assignment(status) index (whose cost grows with every active assignment in the graph; see
tests/workers/test_matching_plans.py for the matching path): the shift needs' filled counts of
the API and the overlap check of the assignment lifecycle, which runs under the locks."""

from __future__ import annotations

from typing import Any, LiteralString

import pytest

from graph.assignments import OVERLAPPING
from graph.shifts import NEEDS_OF_SHIFTS
from tests.workers.test_matching_plans import PARAMS, _plan

STATEMENTS: dict[str, LiteralString] = {
    "NEEDS_OF_SHIFTS": NEEDS_OF_SHIFTS, "OVERLAPPING": OVERLAPPING,
}
EXTRA: dict[str, Any] = {
    "volunteer": "t-none", "startsAt": PARAMS["from"], "endsAt": PARAMS["to"],
}


@pytest.mark.parametrize("name", sorted(STATEMENTS))
async def test_no_read_of_one_nodes_assignments_uses_the_status_index(
    neo4j_driver: Any, name: str
) -> None:
    plan = await _plan(neo4j_driver, STATEMENTS[name], {**PARAMS, **EXTRA})
    seeks = [op for op, _ in plan if "Assignment(status)" in op]
    assert not seeks, f"{name} goes through the status index: {seeks}"
