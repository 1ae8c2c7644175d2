"""DataLoader: a page of each volunteer's assignments, rows included (one statement per
distinct filter).

Keys carry the filter and the page, so a list of volunteers asking for the same page of
their assignments costs one query, whatever the number of volunteers. The pages carry the
assignment rows themselves (`AssignmentPage`), so no second statement loads them by id.
"""

from __future__ import annotations

from dataclasses import dataclass

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from graph.volunteer_assignments import AssignmentPage, PageFilter, volunteer_assignment_page_rows


@dataclass(frozen=True, slots=True)
class AssignmentPageKey:
    volunteer: str
    page: PageFilter


def volunteer_assignments_loader(driver: AsyncDriver) -> DataLoader:
    async def load(keys: list[AssignmentPageKey]) -> list[AssignmentPage]:
        groups: dict[PageFilter, list[AssignmentPageKey]] = {}
        for key in keys:
            groups.setdefault(key.page, []).append(key)
        found: dict[AssignmentPageKey, AssignmentPage] = {}
        for page, members in groups.items():
            pages = await volunteer_assignment_page_rows(
                driver, sorted({m.volunteer for m in members}), page
            )
            for m in members:
                found[m] = pages.get(m.volunteer) or AssignmentPage()
        return [found[k] for k in keys]

    return DataLoader(load_fn=load)
