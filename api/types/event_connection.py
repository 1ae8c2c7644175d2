"""EventConnection (ordered by start time)."""

import strawberry

from api.types.connection import Connection
from api.types.event import Event


@strawberry.type
class EventConnection(Connection[Event]):
    pass
