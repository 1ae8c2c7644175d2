"""VolunteerFilter input."""

from datetime import datetime

import strawberry


@strawberry.input
class VolunteerFilter:
    governorate: str | None = None
    skill: str | None = None
    min_level: int | None = None
    association: strawberry.ID | None = None
    available_from: datetime | None = None
    available_to: datetime | None = None
    search: str | None = None
