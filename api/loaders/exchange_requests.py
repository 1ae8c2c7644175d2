"""DataLoader: exchange requests by id."""

from __future__ import annotations

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from api.loaders.keyed import single_loader
from graph.batch_lookups import EXCHANGE_REQUESTS_BY_IDS


def exchange_requests_loader(driver: AsyncDriver) -> DataLoader:
    return single_loader(driver, EXCHANGE_REQUESTS_BY_IDS, "id")
