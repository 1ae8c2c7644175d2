"""DataLoader: exchange requests by id."""

from __future__ import annotations

from functools import partial

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from graph.exchange_requests import get_exchange_requests
from graph.keyed_reads import Row


def exchange_requests_loader(driver: AsyncDriver) -> DataLoader[str, Row | None]:
    return DataLoader(load_fn=partial(get_exchange_requests, driver))
