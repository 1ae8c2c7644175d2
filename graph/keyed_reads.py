"""Batched reads by key whose results come back in the order of the keys (the DataLoader
contract): one statement taking `$ids` per batch, whatever the number of keys.

The repositories (graph/volunteers.py, graph/events.py, ...) build their by-id reads on these,
so the API's DataLoaders and every other caller share one statement per read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, LiteralString

from neo4j import AsyncDriver

from graph.cypher_runner import read_rows

Row = dict[str, Any]


def one_per_key(rows: Sequence[Row], keys: Sequence[str], field: str) -> list[Row | None]:
    """The row whose `field` is each key, None where there is none."""
    found = {row[field]: row for row in rows}
    return [found.get(key) for key in keys]


def many_per_key(rows: Sequence[Row], keys: Sequence[str], field: str) -> list[list[Row]]:
    """The rows whose `field` is each key (in the statement's order), [] where there are none."""
    groups: dict[str, list[Row]] = {key: [] for key in keys}
    for row in rows:
        groups.setdefault(row[field], []).append(row)
    return [groups[key] for key in keys]


def _ids(keys: Sequence[str]) -> dict[str, Any]:
    return {"ids": list(dict.fromkeys(keys))}  # each key once, so no row comes back twice


async def one_row_per_key(
    driver: AsyncDriver, query: LiteralString, keys: Sequence[str], field: str = "id"
) -> list[Row | None]:
    """Run `query` with `$ids` = keys; one row (or None) per key, in key order."""
    return one_per_key(await read_rows(driver, query, _ids(keys)), keys, field)


async def rows_per_key(
    driver: AsyncDriver, query: LiteralString, keys: Sequence[str], field: str
) -> list[list[Row]]:
    """Run `query` with `$ids` = keys; the rows of each key (possibly none), in key order."""
    return many_per_key(await read_rows(driver, query, _ids(keys)), keys, field)
