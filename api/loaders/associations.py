"""DataLoader: associations by id, with sharing policy and counts."""

from __future__ import annotations

from functools import partial

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from graph.associations import get_associations
from graph.keyed_reads import Row


def associations_loader(driver: AsyncDriver) -> DataLoader[str, Row | None]:
    return DataLoader(load_fn=partial(get_associations, driver))
