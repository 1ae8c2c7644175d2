"""CoordinationWarning: another association's competing event (planning together)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.errors import not_found
from api.types.event import Event


@strawberry.type
class CoordinationWarning:
    reason: str
    event_id: strawberry.Private[str]

    @strawberry.field(description="The other association's event (same domain, near, same time).")
    async def event(self, info: Info) -> Event:
        row = await info.context.loaders.events.load(self.event_id)
        if row is None:
            raise not_found("event")
        return Event.from_row(row)
