"""DataLoader: the assignments of each shift, by shift id."""

from __future__ import annotations

from functools import partial

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from graph.assignment_reads import assignments_of_shifts
from graph.keyed_reads import Row


def shift_assignments_loader(driver: AsyncDriver) -> DataLoader[str, list[Row]]:
    return DataLoader(load_fn=partial(assignments_of_shifts, driver))
