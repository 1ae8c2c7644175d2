"""CreateEventPayload: the new event and any coordination warnings (planning together)."""

import strawberry

from api.types.coordination_warning import CoordinationWarning
from api.types.event import Event


@strawberry.type
class CreateEventPayload:
    event: Event
    warnings: list[CoordinationWarning]
