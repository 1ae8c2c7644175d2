"""DataLoader: a page of each volunteer's assignments, rows included (one statement per
distinct filter).

Keys carry the filter and the page, so a list of volunteers asking for the same page of
their assignments costs one query, whatever the number of volunteers. The pages carry the
assignment rows themselves (`AssignmentPage`), so no second statement loads them by id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from graph.volunteer_assignments import AssignmentPage, volunteer_assignment_page_rows


@dataclass(frozen=True, slots=True)
class AssignmentPageKey:
    volunteer: str
    statuses: tuple[str, ...] | None
    starts_from: datetime | None
    until: datetime | None
    association: str | None
    skip: int
    limit: int

    def group(self) -> tuple[object, ...]:
        return (
            self.statuses,
            self.starts_from,
            self.until,
            self.association,
            self.skip,
            self.limit,
        )


def volunteer_assignments_loader(driver: AsyncDriver) -> DataLoader:
    async def load(keys: list[AssignmentPageKey]) -> list[AssignmentPage]:
        groups: dict[tuple[object, ...], list[AssignmentPageKey]] = {}
        for key in keys:
            groups.setdefault(key.group(), []).append(key)
        found: dict[AssignmentPageKey, AssignmentPage] = {}
        for members in groups.values():
            first = members[0]
            pages = await volunteer_assignment_page_rows(
                driver,
                sorted({m.volunteer for m in members}),
                statuses=list(first.statuses) if first.statuses is not None else None,
                starts_from=first.starts_from,
                until=first.until,
                association=first.association,
                skip=first.skip,
                limit=first.limit,
            )
            for m in members:
                found[m] = pages.get(m.volunteer) or AssignmentPage()
        return [found[k] for k in keys]

    return DataLoader(load_fn=load)
