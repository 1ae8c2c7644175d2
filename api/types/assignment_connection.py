"""AssignmentConnection and the paged list of one volunteer's assignments."""

from datetime import datetime

import strawberry
from strawberry.types import Info

from api.loaders.volunteer_assignments import AssignmentPageKey
from api.pagination import offset_after, offset_cursor, page_size
from api.types.assignment import Assignment
from api.types.connection import Connection, build_connection
from api.types.enums import AssignmentStatus


@strawberry.type
class AssignmentConnection(Connection[Assignment]):
    pass


async def assignment_connection(
    info: Info, ids: list[str], skip: int, total: int, limit: int
) -> AssignmentConnection:
    """Load a page of assignment ids through the loader (one batched query) into a connection."""
    rows = await info.context.loaders.assignments.load_many(ids[:limit])
    nodes = [Assignment.from_row(r) for r in rows if r is not None]
    cursors = [offset_cursor(skip + i) for i in range(len(nodes))]
    return build_connection(
        AssignmentConnection,
        nodes,
        cursors,
        has_next=len(ids) > limit or skip + limit < total,
        has_previous=skip > 0,
        total=total,
    )


async def volunteer_assignments(
    info: Info,
    volunteer_id: str,
    status: list[AssignmentStatus] | None,
    starts_from: datetime | None,
    until: datetime | None,
    first: int | None,
    after: str | None,
) -> AssignmentConnection:
    limit = page_size(first)
    skip = offset_after(after)
    viewer = info.context.require_viewer()
    # a coordinator sees only what concerns its association (its events or its lent volunteers)
    association = None if (viewer.is_admin or viewer.is_volunteer) else viewer.association or "-"
    page = await info.context.loaders.volunteer_assignments.load(
        AssignmentPageKey(
            volunteer=volunteer_id,
            statuses=tuple(s.value for s in status) if status else None,
            starts_from=starts_from,
            until=until,
            association=association,
            skip=skip,
            limit=limit,
        )
    )
    # the page came with its rows: the assignments loader answers from them, no second query
    info.context.loaders.assignments.prime_many({row["id"]: row for row in page.rows})
    return await assignment_connection(info, page.ids, skip, page.total, limit)
