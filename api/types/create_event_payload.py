"""CreateEventPayload: the new event and any coordination warnings (planning together).

CoordinationWarning is the training engineer's type (api/types/coordination_warning.py);
until that file exists a same-shaped stand-in below keeps the contract's schema whole.
"""

import importlib.util
from typing import Any

import strawberry
from strawberry.types import Info

from api.types.event import Event

if importlib.util.find_spec("api.types.coordination_warning") is not None:
    from api.types.coordination_warning import CoordinationWarning
else:  # HOOK: stand-in until the training engineer's type lands

    @strawberry.type
    class CoordinationWarning:  # type: ignore[no-redef]
        reason: str
        event_id: strawberry.Private[str]

        @strawberry.field
        async def event(self, info: Info) -> Event:
            row = await info.context.loaders.events.load(self.event_id)
            return Event.from_row(row)


def make_warning(event_id: str, reason: str) -> Any:
    """Build a CoordinationWarning whichever implementation is present."""
    try:
        return CoordinationWarning(event_id=event_id, reason=reason)  # type: ignore[call-arg]
    except TypeError:
        return CoordinationWarning(eventId=event_id, reason=reason)  # type: ignore[call-arg]


@strawberry.type
class CreateEventPayload:
    event: Event
    warnings: list[CoordinationWarning]
