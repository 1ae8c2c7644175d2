"""Run one Cypher statement and return plain rows, counting statements per process.

The API's read paths go through `read_rows` so a test can assert how many Cypher
statements a GraphQL request costs (`STATEMENTS.count`). Writes go through
`session.execute_write` in the area modules; they count via `count_statement`.
"""

from __future__ import annotations

import threading
from typing import Any, LiteralString

from neo4j import AsyncDriver, RoutingControl


class StatementCounter:
    """A thread-safe running total of Cypher statements sent by this process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.count = 0

    def add(self, n: int = 1) -> None:
        with self._lock:
            self.count += n


STATEMENTS = StatementCounter()


def count_statement() -> None:
    STATEMENTS.add()


async def read_rows(
    driver: AsyncDriver, query: LiteralString, params: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Run a read query (auto-retried by the driver) and return each record as a dict."""
    STATEMENTS.add()
    result = await driver.execute_query(
        query, params or {}, routing_=RoutingControl.READ, database_=_database()
    )
    return [record.data() for record in result.records]


async def tx_rows(tx: Any, query: LiteralString, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Run one statement inside a managed transaction and return its rows."""
    STATEMENTS.add()
    result = await tx.run(query, params or {})
    return [record.data() async for record in result]


def _database() -> str:
    from graph.settings import get_settings

    return get_settings().neo4j_database
