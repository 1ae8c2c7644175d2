"""CoordinationOverlap: two associations' competing events (the admin's overlap report)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.errors import not_found
from api.types.event import Event


async def _event(info: Info, event_id: str) -> Event:
    row = await info.context.loaders.events.load(event_id)
    if row is None:
        raise not_found("event")
    return Event.from_row(row)


@strawberry.type
class CoordinationOverlap:
    reason: str
    distance_km: float
    first_id: strawberry.Private[str]
    second_id: strawberry.Private[str]

    @strawberry.field
    async def first(self, info: Info) -> Event:
        return await _event(info, self.first_id)

    @strawberry.field
    async def second(self, info: Info) -> Event:
        return await _event(info, self.second_id)
