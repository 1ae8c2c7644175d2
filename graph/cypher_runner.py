"""Run one Cypher statement and return plain rows, counting statements per process.

The API's read paths go through `read_rows` so a test can assert how many Cypher
statements a GraphQL request costs (`STATEMENTS.count`). Writes go through
`session.execute_write` in the area modules; they count via `count_statement`.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncIterator
from typing import Any, LiteralString

from neo4j import AsyncDriver, AsyncSession
from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired

from graph.errors import GraphUnavailable


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


# Interactive requests give up quickly when Neo4j is down (UNAVAILABLE in about this many
# seconds) instead of the driver's default 30 s of retries; transient errors are still retried.
INTERACTIVE_RETRY_SECONDS = 3.0


@contextlib.asynccontextmanager
async def interactive_session(driver: AsyncDriver) -> AsyncIterator[AsyncSession]:
    """A session for request/response work: the configured database, a short retry budget,
    and connectivity failures re-raised as one-line `GraphUnavailable` errors."""
    try:
        async with driver.session(
            database=_database(), max_transaction_retry_time=INTERACTIVE_RETRY_SECONDS
        ) as session:
            yield session
    except (ServiceUnavailable, SessionExpired, AuthError) as exc:
        from graph.driver import unavailable_error

        raise (unavailable_error(driver, exc) or GraphUnavailable(type(exc).__name__)) from None


async def read_rows(
    driver: AsyncDriver, query: LiteralString, params: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Run a read query in a managed (retried) read transaction; each record as a dict."""
    async with interactive_session(driver) as session:
        return await session.execute_read(tx_rows, query, params)


async def tx_rows(
    tx: Any, query: LiteralString, params: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Run one statement inside a managed transaction and return its rows."""
    STATEMENTS.add()
    result = await tx.run(query, params or {})
    return [record.data() async for record in result]


def _database() -> str:
    from graph.settings import get_settings

    return get_settings().neo4j_database
