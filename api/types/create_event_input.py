"""CreateEventInput: the event belongs to the caller's association (no association field)."""

import strawberry

from api.types.enums import Domain
from api.types.shift_input import ShiftInput


@strawberry.input
class CreateEventInput:
    title: str
    domain: Domain
    governorate: str
    latitude: float
    longitude: float
    shifts: list[ShiftInput]
    campaign: str | None = None
