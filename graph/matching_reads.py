"""Reads for the matching worker that keep the driver's values as they arrive.

`Record.data()` walks every value it returns (an isinstance chain per list element and map
entry) to turn nodes into dicts: on the candidate index's columns (~1M values) that walk cost
~25 s of CPU of a 33 s load. The matching queries return only plain values (strings, numbers,
lists, maps, temporal values), so they read the records as they are.
"""

from __future__ import annotations

from typing import Any, LiteralString

from neo4j import AsyncDriver

from graph.cypher_runner import count_statement, plain_records
from graph.settings import get_settings


async def _plain_rows(tx: Any, query: LiteralString, params: dict[str, Any]) -> list[dict[str, Any]]:
    count_statement()
    return await plain_records(await tx.run(query, params))


async def read_matching_rows(
    driver: AsyncDriver, query: LiteralString, params: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Run a read query (managed read transaction, the driver's full retry budget, its errors
    raised as they are so the worker can retry the job); each record as a plain dict.

    Only for queries that return no nodes, relationships or paths. The API's reads use
    `graph.cypher_runner.read_plain_rows` (auto-commit, a short retry budget)."""
    async with driver.session(database=get_settings().neo4j_database) as session:
        return await session.execute_read(_plain_rows, query, params or {})
