"""DataLoader: shifts by id, with their event id."""

from __future__ import annotations

from functools import partial

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from graph.keyed_reads import Row
from graph.shifts import get_shifts


def shifts_loader(driver: AsyncDriver) -> DataLoader[str, Row | None]:
    return DataLoader(load_fn=partial(get_shifts, driver))
