"""DataLoader: exchange requests by id."""

from __future__ import annotations

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from api.loaders.keyed import single_loader
from graph.batch_lookups import exchange_requests_by_ids


def exchange_requests_loader(driver: AsyncDriver) -> DataLoader:
    return single_loader(driver, exchange_requests_by_ids, "id")
