"""DataLoader: shifts by id, with their event id."""

from __future__ import annotations

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from api.loaders.keyed import single_loader
from graph.batch_lookups import SHIFTS_BY_IDS


def shifts_loader(driver: AsyncDriver) -> DataLoader:
    return single_loader(driver, SHIFTS_BY_IDS, "id")
