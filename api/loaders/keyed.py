"""Put batched rows back in the order of the keys a DataLoader asked for."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, LiteralString

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from graph.cypher_runner import read_rows

Row = dict[str, Any]


def one_per_key(rows: Sequence[Row], keys: Sequence[str], field: str) -> list[Row | None]:
    found = {row[field]: row for row in rows}
    return [found.get(key) for key in keys]


def many_per_key(rows: Sequence[Row], keys: Sequence[str], field: str) -> list[list[Row]]:
    groups: dict[str, list[Row]] = {key: [] for key in keys}
    for row in rows:
        groups.setdefault(row[field], []).append(row)
    return [groups[key] for key in keys]


def single_loader(
    driver: AsyncDriver, query: LiteralString, field: str = "id"
) -> DataLoader[str, Row | None]:
    """One row per key (None when missing) from a statement taking `$ids`."""

    async def load(keys: list[str]) -> list[Row | None]:
        return one_per_key(await read_rows(driver, query, {"ids": list(keys)}), keys, field)

    return DataLoader(load_fn=load)


def grouped_loader(
    driver: AsyncDriver, query: LiteralString, field: str
) -> DataLoader[str, list[Row]]:
    """All rows of each key (possibly none) from a statement taking `$ids`."""

    async def load(keys: list[str]) -> list[list[Row]]:
        return many_per_key(await read_rows(driver, query, {"ids": list(keys)}), keys, field)

    return DataLoader(load_fn=load)
