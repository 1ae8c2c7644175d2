"""DataLoader: a volunteer's skills with level and expiry, by volunteer id."""

from __future__ import annotations

from functools import partial

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from graph.keyed_reads import Row
from graph.volunteers import volunteer_skills


def volunteer_skills_loader(driver: AsyncDriver) -> DataLoader[str, list[Row]]:
    return DataLoader(load_fn=partial(volunteer_skills, driver))
