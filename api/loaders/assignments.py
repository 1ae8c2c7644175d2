"""DataLoader: assignments by id."""

from __future__ import annotations

from functools import partial

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from graph.assignment_reads import get_assignments
from graph.keyed_reads import Row


def assignments_loader(driver: AsyncDriver) -> DataLoader[str, Row | None]:
    return DataLoader(load_fn=partial(get_assignments, driver))
