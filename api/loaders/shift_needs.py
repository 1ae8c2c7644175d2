"""DataLoader: the needs of each shift with how many are filled, by shift id."""

from __future__ import annotations

from functools import partial

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from graph.keyed_reads import Row
from graph.shifts import needs_of_shifts


def shift_needs_loader(driver: AsyncDriver) -> DataLoader[str, list[Row]]:
    return DataLoader(load_fn=partial(needs_of_shifts, driver))
