"""DataLoader: events by id, with organizer and governorate."""

from __future__ import annotations

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from api.loaders.keyed import single_loader
from graph.batch_lookups import EVENTS_BY_IDS


def events_loader(driver: AsyncDriver) -> DataLoader:
    return single_loader(driver, EVENTS_BY_IDS, "id")
