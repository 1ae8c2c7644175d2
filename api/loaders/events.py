"""DataLoader: events by id, with organizer and governorate."""

from __future__ import annotations

from functools import partial

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from graph.events import get_events
from graph.keyed_reads import Row


def events_loader(driver: AsyncDriver) -> DataLoader[str, Row | None]:
    return DataLoader(load_fn=partial(get_events, driver))
