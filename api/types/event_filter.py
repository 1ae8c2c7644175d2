"""EventFilter input."""

from datetime import datetime

import strawberry

from api.types.enums import Domain


@strawberry.input
class EventFilter:
    governorate: str | None = None
    domain: Domain | None = None
    association: strawberry.ID | None = None
    from_: datetime | None = strawberry.field(default=None, name="from")
    to: datetime | None = None
    campaign: str | None = None
