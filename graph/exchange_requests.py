"""Exchange-request reads: requests by id (in key order, the DataLoader contract) and the ids of
the requests a borrower or lender sees. Deciding a request: graph/exchange.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import LiteralString

from neo4j import AsyncDriver

from graph.cypher_runner import read_rows
from graph.keyed_reads import Row, one_row_per_key

MAX_LISTED = 1000

EXCHANGE_REQUESTS_BY_IDS: LiteralString = """
UNWIND $ids AS key
MATCH (x:ExchangeRequest {id: key})
OPTIONAL MATCH (x)-[:BORROWER]->(b:Association)
OPTIONAL MATCH (x)-[:LENDER]->(l:Association)
OPTIONAL MATCH (x)-[:FOR]->(a:Assignment)
RETURN x.id AS id, x.status AS status, x.createdAt AS createdAt, x.decidedAt AS decidedAt,
       b.id AS borrower, l.id AS lender, a.id AS assignmentId
"""

EXCHANGE_REQUEST_IDS: LiteralString = """
MATCH (x:ExchangeRequest)
WHERE ($statuses IS NULL OR x.status IN $statuses)
  AND ($borrower IS NULL OR EXISTS { (x)-[:BORROWER]->(:Association {id: $borrower}) })
  AND ($lender IS NULL OR EXISTS { (x)-[:LENDER]->(:Association {id: $lender}) })
RETURN x.id AS id ORDER BY x.createdAt DESC, x.id LIMIT $max
"""


async def get_exchange_requests(driver: AsyncDriver, ids: Sequence[str]) -> list[Row | None]:
    """Each request's row (status, times, borrower, lender, assignmentId), None where none."""
    return await one_row_per_key(driver, EXCHANGE_REQUESTS_BY_IDS, ids)


async def exchange_request_ids(
    driver: AsyncDriver, *, statuses: list[str] | None, borrower: str | None, lender: str | None
) -> list[str]:
    """Ids of the requests with one of `statuses` (any when None), of that borrower and/or
    lender (any when None); newest first, at most MAX_LISTED."""
    rows = await read_rows(
        driver,
        EXCHANGE_REQUEST_IDS,
        {"statuses": statuses, "borrower": borrower, "lender": lender, "max": MAX_LISTED},
    )
    return [r["id"] for r in rows]
