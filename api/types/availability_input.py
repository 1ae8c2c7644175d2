"""AvailabilityInput: weekday 1=Mon..7=Sun, "HH:MM" Cairo time."""

import strawberry


@strawberry.input
class AvailabilityInput:
    weekday: int
    start_time: str
    end_time: str
