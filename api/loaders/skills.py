"""DataLoader: skills by code, with the codes each implies."""

from __future__ import annotations

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from api.loaders.keyed import single_loader
from graph.batch_lookups import SKILLS_BY_CODES


def skills_loader(driver: AsyncDriver) -> DataLoader:
    return single_loader(driver, SKILLS_BY_CODES, "code")
