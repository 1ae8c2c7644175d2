"""DataLoader: the assignments of each shift, by shift id."""

from __future__ import annotations

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from api.loaders.keyed import grouped_loader
from graph.batch_lookups import assignments_by_shift_ids


def shift_assignments_loader(driver: AsyncDriver) -> DataLoader:
    return grouped_loader(driver, assignments_by_shift_ids, "shiftId")
