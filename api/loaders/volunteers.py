"""DataLoader: volunteers by id (None for an unknown id)."""

from __future__ import annotations

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from api.loaders.keyed import single_loader
from graph.batch_lookups import VOLUNTEERS_BY_IDS


def volunteers_loader(driver: AsyncDriver) -> DataLoader:
    return single_loader(driver, VOLUNTEERS_BY_IDS, "id")
