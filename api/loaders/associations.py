"""DataLoader: associations by id, with sharing policy and counts."""

from __future__ import annotations

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from api.loaders.keyed import single_loader
from graph.batch_lookups import ASSOCIATIONS_BY_IDS


def associations_loader(driver: AsyncDriver) -> DataLoader:
    return single_loader(driver, ASSOCIATIONS_BY_IDS, "id")
