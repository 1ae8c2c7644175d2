"""DataLoader: the needs of each shift with how many are filled, by shift id."""

from __future__ import annotations

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from api.loaders.keyed import grouped_loader
from graph.batch_lookups import NEEDS_BY_SHIFT_IDS


def shift_needs_loader(driver: AsyncDriver) -> DataLoader:
    return grouped_loader(driver, NEEDS_BY_SHIFT_IDS, "shiftId")
