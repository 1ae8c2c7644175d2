"""DataLoader: a volunteer's memberships, by volunteer id."""

from __future__ import annotations

from functools import partial

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from graph.keyed_reads import Row
from graph.volunteers import volunteer_memberships


def volunteer_memberships_loader(driver: AsyncDriver) -> DataLoader[str, list[Row]]:
    return DataLoader(load_fn=partial(volunteer_memberships, driver))
