"""DataLoader: governorates by code."""

from __future__ import annotations

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from api.loaders.keyed import single_loader
from graph.batch_lookups import GOVERNORATES_BY_CODES


def governorates_loader(driver: AsyncDriver) -> DataLoader:
    return single_loader(driver, GOVERNORATES_BY_CODES, "code")
