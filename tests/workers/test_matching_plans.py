"""The matching path never seeks every active assignment once per row.

With the Assignment label in `(v)-[:ASSIGNED]->(x:Assignment) WHERE x.status IN $active` the
planner may seek the Assignment(status) index once per shift or volunteer and join: a read
whose cost grows with every active assignment in the graph (the candidates' details of an
urgent request went from 0.4 s to 1.8 s over 20 runs on the 250K seed). Those reads must show
no such seek at all; the loan counts, which do need all active loans, must seek them once (not
on the per-row side of an Apply: 0.49 s per run with 25K active assignments).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, LiteralString

import pytest

from graph.assignment_reads import ACTIVE_STATUSES
from graph.matching_commit import BOOKINGS_OF, LENT_NOW, NEEDS_OF
from graph.matching_load import CANDIDATE_DETAILS, EXCLUDING_STATUSES, LOAD_POOL, LOAD_SHIFTS
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


LOAN_COUNTS: dict[str, LiteralString] = {"LOAD_POOL": LOAD_POOL, "LENT_NOW": LENT_NOW}


def _operators(plan: Any, per_row: bool = False) -> list[tuple[str, bool]]:
    """(operator and details, whether it runs once per row of an Apply's left side)."""
    out = [(f"{plan['operatorType']} {plan.get('args', {}).get('Details', '')}", per_row)]
    children = plan.get("children", [])
    applies = plan["operatorType"].split("@")[0].endswith("Apply")
    for k, child in enumerate(children):
        out += _operators(child, per_row or (applies and k == 1))
    return out


async def _plan(
    driver: Any, statement: LiteralString, params: dict[str, Any] | None = None
) -> list[tuple[str, bool]]:
    query: LiteralString = "EXPLAIN " + statement
    async with driver.session(database=get_settings().neo4j_database) as session:
        result = await session.run(query, PARAMS if params is None else params)
        summary = await result.consume()
    return _operators(summary.plan)


@pytest.mark.parametrize("name", sorted(STATEMENTS))
async def test_no_statement_seeks_every_active_assignment(neo4j_driver: Any, name: str):
    seeks = [op for op, _ in await _plan(neo4j_driver, STATEMENTS[name]) if "Assignment(status)" in op]
    assert not seeks, f"{name} seeks the status index: {seeks}"


@pytest.mark.parametrize("name", sorted(LOAN_COUNTS))
async def test_loans_are_counted_in_one_pass(neo4j_driver: Any, name: str):
    plan = await _plan(neo4j_driver, LOAN_COUNTS[name])
    per_row = [op for op, repeated in plan if "Assignment(status)" in op and repeated]
    assert not per_row, f"{name} seeks the status index once per row: {per_row}"
