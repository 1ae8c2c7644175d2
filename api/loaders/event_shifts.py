"""DataLoader: the shifts of each event, by event id."""

from __future__ import annotations

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from api.loaders.keyed import grouped_loader
from graph.batch_lookups import SHIFTS_BY_EVENT_IDS


def event_shifts_loader(driver: AsyncDriver) -> DataLoader:
    return grouped_loader(driver, SHIFTS_BY_EVENT_IDS, "eventId")
