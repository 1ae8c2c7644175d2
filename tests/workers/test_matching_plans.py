"""The matching path's reads of assignments expand from the shift / volunteer at hand.

With the Assignment label in those patterns the planner may answer `x.status IN $active` by
seeking the Assignment(status) index once per shift or volunteer and joining: a read whose cost
grows with every active assignment in the graph (the candidates' details of an urgent request
went from 0.4 s to 1.8 s over 20 runs on the 250K seed). EXPLAIN must show no such seek.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, LiteralString

import pytest

from graph.assignment_reads import ACTIVE_STATUSES
from graph.matching_commit import BOOKINGS_OF, NEEDS_OF
from graph.matching_load import CANDIDATE_DETAILS, EXCLUDING_STATUSES, LOAD_SHIFTS
from graph.runs import CREATE_RUN, OPEN_SLOTS
from graph.settings import get_settings

NOW = datetime.now(UTC)
PARAMS: dict[str, Any] = {
    "ids": ["t-none-1", "t-none-2"], "shiftIds": ["t-none-1"], "pool": ["t-none"],
    "active": ACTIVE_STATUSES, "excluding": EXCLUDING_STATUSES, "from": NOW,
    "to": NOW + timedelta(days=9), "id": "t-none", "urgent": False, "allowExchange": False,
    "association": "t-none", "now": NOW, "kind": "REQUEST", "exclude": [], "requestedBy": None,
}
STATEMENTS: dict[str, LiteralString] = {
    "LOAD_SHIFTS": LOAD_SHIFTS, "CANDIDATE_DETAILS": CANDIDATE_DETAILS,
    "BOOKINGS_OF": BOOKINGS_OF, "NEEDS_OF": NEEDS_OF, "OPEN_SLOTS": OPEN_SLOTS,
    "CREATE_RUN": CREATE_RUN,
}


def _operators(plan: Any) -> list[str]:
    out = [f"{plan['operatorType']} {plan.get('args', {}).get('Details', '')}"]
    for child in plan.get("children", []):
        out += _operators(child)
    return out


@pytest.mark.parametrize("name", sorted(STATEMENTS))
async def test_no_statement_seeks_every_active_assignment(neo4j_driver: Any, name: str):
    query: LiteralString = "EXPLAIN " + STATEMENTS[name]
    async with neo4j_driver.session(database=get_settings().neo4j_database) as session:
        result = await session.run(query, PARAMS)
        summary = await result.consume()
    seeks = [op for op in _operators(summary.plan) if "Assignment(status)" in op]
    assert not seeks, f"{name} seeks the status index: {seeks}"
