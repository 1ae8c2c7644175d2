"""DataLoader: the shifts of each event, by event id."""

from __future__ import annotations

from functools import partial

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from graph.keyed_reads import Row
from graph.shifts import shifts_of_events


def event_shifts_loader(driver: AsyncDriver) -> DataLoader[str, list[Row]]:
    return DataLoader(load_fn=partial(shifts_of_events, driver))
