"""Shared value types of the scheduling package (frozen dataclasses, minutes and instants)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from numpy.typing import NDArray

from engine.scheduling.errors import SchedulingError

MINUTES_PER_DAY = 1440

#: The event code of a shift or booking that names no event (never back to back with anything).
NO_EVENT = -1

BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]

#: A half-open real-time interval ``[start, end)`` of timezone-aware datetimes.
TimeSpan = tuple[datetime, datetime]


@dataclass(frozen=True, slots=True)
class Window:
    """A weekly availability window in local clock time.

    ``weekday`` is ISO (1 = Monday .. 7 = Sunday); ``start_min`` is minutes after local midnight
    (0..1439); ``end_min`` is 0..1440 (1440 = "24:00"). A window whose end is not after its start
    runs over midnight into the next weekday.
    """

    weekday: int
    start_min: int
    end_min: int

    def __post_init__(self) -> None:
        if not 1 <= self.weekday <= 7:
            raise SchedulingError("weekday", f"must be 1..7 (ISO), got {self.weekday}")
        if not 0 <= self.start_min < MINUTES_PER_DAY:
            raise SchedulingError("start", f"must be 00:00..23:59, got minute {self.start_min}")
        if not 0 <= self.end_min <= MINUTES_PER_DAY:
            raise SchedulingError("end", f"must be 00:00..24:00, got minute {self.end_min}")

    @property
    def overnight(self) -> bool:
        """True when the window runs over midnight into the next weekday."""
        return self.end_min <= self.start_min


@dataclass(frozen=True, slots=True, order=True)
class DayPiece:
    """The part of a shift that falls on one local day: ``[start_min, end_min)`` on ``weekday``.

    ``end_min`` may be 1440 (the piece runs to the end of the day).
    """

    weekday: int
    start_min: int
    end_min: int


@dataclass(frozen=True, slots=True)
class Booking:
    """A volunteer's shift (new or already booked): real-time ``[start, end)`` and its event.

    ``event`` is None for a booking that names no event; such a booking never gets the
    back-to-back exception of the rest rule.
    """

    start: datetime
    end: datetime
    event: str | None = None
