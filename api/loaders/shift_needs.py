"""DataLoader: the needs of each shift with how many are filled, by shift id."""

from __future__ import annotations

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from api.loaders.keyed import grouped_loader
from graph.batch_lookups import needs_by_shift_ids


def shift_needs_loader(driver: AsyncDriver) -> DataLoader:
    return grouped_loader(driver, needs_by_shift_ids, "shiftId")
