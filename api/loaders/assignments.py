"""DataLoader: assignments by id."""

from __future__ import annotations

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from api.loaders.keyed import single_loader
from graph.batch_lookups import ASSIGNMENTS_BY_IDS


def assignments_loader(driver: AsyncDriver) -> DataLoader:
    return single_loader(driver, ASSIGNMENTS_BY_IDS, "id")
