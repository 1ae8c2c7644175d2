"""DataLoader: governorates by code."""

from __future__ import annotations

from functools import partial

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from graph.governorates import get_governorates
from graph.keyed_reads import Row


def governorates_loader(driver: AsyncDriver) -> DataLoader[str, Row | None]:
    return DataLoader(load_fn=partial(get_governorates, driver))
