"""DataLoader: a volunteer's skills with level and expiry, by volunteer id."""

from __future__ import annotations

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from api.loaders.keyed import grouped_loader
from graph.batch_lookups import SKILLS_BY_VOLUNTEER_IDS


def volunteer_skills_loader(driver: AsyncDriver) -> DataLoader:
    return grouped_loader(driver, SKILLS_BY_VOLUNTEER_IDS, "volunteerId")
