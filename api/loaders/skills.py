"""DataLoader: skills by code, with the codes each implies."""

from __future__ import annotations

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from api.loaders.keyed import single_loader
from graph.batch_lookups import skills_by_codes


def skills_loader(driver: AsyncDriver) -> DataLoader:
    return single_loader(driver, skills_by_codes, "code")
