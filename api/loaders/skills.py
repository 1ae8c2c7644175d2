"""DataLoader: skills by code, with the codes each implies."""

from __future__ import annotations

from functools import partial

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from graph.keyed_reads import Row
from graph.skills import get_skills


def skills_loader(driver: AsyncDriver) -> DataLoader[str, Row | None]:
    return DataLoader(load_fn=partial(get_skills, driver))
