"""DataLoader: volunteers by id (None for an unknown id)."""

from __future__ import annotations

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from api.loaders.keyed import single_loader
from graph.batch_lookups import volunteers_by_ids


def volunteers_loader(driver: AsyncDriver) -> DataLoader:
    return single_loader(driver, volunteers_by_ids, "id")
