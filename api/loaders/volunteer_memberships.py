"""DataLoader: a volunteer's memberships, by volunteer id."""

from __future__ import annotations

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from api.loaders.keyed import grouped_loader
from graph.batch_lookups import memberships_by_volunteer_ids


def volunteer_memberships_loader(driver: AsyncDriver) -> DataLoader:
    return grouped_loader(driver, memberships_by_volunteer_ids, "volunteerId")
