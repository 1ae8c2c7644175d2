"""Queries about events and shifts."""

import strawberry
from strawberry.types import Info

from api.errors import bad_input, forbidden
from api.pagination import offset_after, offset_cursor, page_size
from api.permissions import IsAuthenticated
from api.scope import visible_event, visible_shift
from api.types.connection import build_connection
from api.types.event import Event
from api.types.event_connection import EventConnection
from api.types.event_filter import EventFilter
from api.types.shift import Shift
from api.validation import known_governorate
from graph.events import event_page


@strawberry.type
class EventQuery:
    @strawberry.field(permission_classes=[IsAuthenticated])
    async def event(self, info: Info, id: strawberry.ID) -> Event | None:
        return Event.from_row(await visible_event(info.context, str(id)))

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def shift(self, info: Info, id: strawberry.ID) -> Shift | None:
        return Shift.from_row(await visible_shift(info.context, str(id)))

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def events(
        self,
        info: Info,
        filter: EventFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> EventConnection:
        limit = page_size(first)
        skip = offset_after(after)
        f = filter or EventFilter()
        viewer = info.context.require_viewer()
        association = str(f.association) if f.association else None
        volunteer = None
        if viewer.is_coordinator:
            if association is not None and association != viewer.association:
                raise forbidden()
            association = viewer.association
        elif viewer.is_volunteer:
            volunteer = viewer.sub
        elif not viewer.is_admin:
            raise forbidden()
        if f.from_ and f.to and f.to <= f.from_:
            raise bad_input("filter.to", "end_after_start")
        await known_governorate(info.context, "filter.governorate", f.governorate)
        ids, total = await event_page(
            info.context.driver,
            association=association,
            governorate=f.governorate,
            domain=f.domain.value if f.domain else None,
            campaign=f.campaign,
            starts_from=f.from_,
            until=f.to,
            volunteer=volunteer,
            skip=skip,
            limit=limit,
        )
        rows = await info.context.loaders.events.load_many(ids)
        nodes = [Event.from_row(r) for r in rows if r is not None]
        return build_connection(
            EventConnection,
            nodes,
            [offset_cursor(skip + i) for i in range(len(nodes))],
            has_next=skip + len(nodes) < total,
            has_previous=skip > 0,
            total=total,
        )
