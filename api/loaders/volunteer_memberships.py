"""DataLoader: a volunteer's memberships, by volunteer id."""

from __future__ import annotations

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from api.loaders.keyed import grouped_loader
from graph.batch_lookups import MEMBERSHIPS_BY_VOLUNTEER_IDS


def volunteer_memberships_loader(driver: AsyncDriver) -> DataLoader:
    return grouped_loader(driver, MEMBERSHIPS_BY_VOLUNTEER_IDS, "volunteerId")
