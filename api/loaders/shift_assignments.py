"""DataLoader: the assignments of each shift, by shift id."""

from __future__ import annotations

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from api.loaders.keyed import grouped_loader
from graph.batch_lookups import ASSIGNMENTS_BY_SHIFT_IDS


def shift_assignments_loader(driver: AsyncDriver) -> DataLoader:
    return grouped_loader(driver, ASSIGNMENTS_BY_SHIFT_IDS, "shiftId")
