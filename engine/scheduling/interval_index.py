"""Vectorised real-time interval lookups for many volunteers: blackouts and existing bookings.

All intervals (``[start, end)`` in epoch seconds) are kept in one array sorted by start, so the
ones that can touch a query lie in a slice found by binary search (bounded by the longest
interval). A query returns the rows (volunteers) having an interval that conflicts with it:
for blackouts that means intersecting; for bookings it means overlapping or closer than the
minimum rest, except back to back (``end == start``) within the same named event.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

import numpy as np

from engine.scheduling.errors import SchedulingError
from engine.scheduling.span_rules import spans_conflict
from engine.scheduling.time_rules import epoch_seconds
from engine.scheduling.types import NO_EVENT, Booking, BoolArray, FloatArray, IntArray, TimeSpan


class IntervalIndex:
    """Intervals owned by rows ``0..size-1``, each with an optional event code (-1 = none)."""

    __slots__ = ("size", "owner", "start", "end", "event", "max_len", "event_codes")

    def __init__(
        self,
        size: int,
        owner: IntArray,
        start: FloatArray,
        end: FloatArray,
        event: IntArray | None = None,
        event_codes: Mapping[str, int] | None = None,
    ) -> None:
        """Index flat arrays (epoch seconds); ``event_codes`` maps event ids to their codes."""
        if np.any(np.asarray(end) <= np.asarray(start)):
            raise SchedulingError("intervals.end", "every end must be after its start")
        order = np.argsort(start, kind="stable")
        self.size = size
        self.owner: IntArray = np.asarray(owner, dtype=np.int64)[order]
        self.start: FloatArray = np.asarray(start, dtype=np.float64)[order]
        self.end: FloatArray = np.asarray(end, dtype=np.float64)[order]
        codes = np.full(len(order), NO_EVENT, dtype=np.int64) if event is None else event
        self.event: IntArray = np.asarray(codes, dtype=np.int64)[order]
        self.max_len = float((self.end - self.start).max()) if self.start.size else 0.0
        self.event_codes: dict[str, int] = dict(event_codes or {})

    @classmethod
    def from_spans(cls, spans_per_row: Sequence[Iterable[TimeSpan]]) -> IntervalIndex:
        """Index blackouts: ``spans_per_row[i]`` are row i's ``(start, end)`` aware datetimes."""
        owner: list[int] = []
        start: list[float] = []
        end: list[float] = []
        for row, spans in enumerate(spans_per_row):
            for s, e in spans:
                owner.append(row)
                start.append(epoch_seconds(s, "blackout.start"))
                end.append(epoch_seconds(e, "blackout.end"))
        return cls(
            len(spans_per_row), np.array(owner, dtype=np.int64), np.array(start), np.array(end)
        )

    @classmethod
    def from_bookings(cls, bookings_per_row: Sequence[Iterable[Booking]]) -> IntervalIndex:
        """Index existing bookings; events are coded so the back-to-back exception can apply."""
        codes: dict[str, int] = {}
        owner: list[int] = []
        start: list[float] = []
        end: list[float] = []
        event: list[int] = []
        for row, bookings in enumerate(bookings_per_row):
            for b in bookings:
                owner.append(row)
                start.append(epoch_seconds(b.start, "booked.start"))
                end.append(epoch_seconds(b.end, "booked.end"))
                event.append(NO_EVENT if b.event is None else codes.setdefault(b.event, len(codes)))
        return cls(
            len(bookings_per_row),
            np.array(owner, dtype=np.int64),
            np.array(start),
            np.array(end),
            np.array(event, dtype=np.int64),
            codes,
        )

    def hit_rows(
        self, start: datetime, end: datetime, rest_hours: float = 0.0, event: str | None = None
    ) -> IntArray:
        """Sorted distinct rows with an interval conflicting with real ``[start, end)``.

        Conflict: the gap between them is below ``rest_hours`` (with 0: they intersect;
        touching is fine), unless they are back to back and share the named ``event``.
        """
        a = epoch_seconds(start, "start")
        b = epoch_seconds(end, "end")
        rest = float(rest_hours) * 3600.0
        lo = int(np.searchsorted(self.start, a - rest - self.max_len - 1.0, side="right"))
        hi = int(np.searchsorted(self.start, b + rest, side="left"))
        code = NO_EVENT if event is None else self.event_codes.get(event, NO_EVENT)
        query = np.array([a, b])
        hit = spans_conflict(
            self.start[lo:hi], self.end[lo:hi], self.event[lo:hi],
            query[:1], query[1:], np.full(1, code, dtype=np.int64), rest,
        )
        return np.unique(self.owner[lo:hi][hit])

    def free_mask(
        self, start: datetime, end: datetime, rest_hours: float = 0.0, event: str | None = None
    ) -> BoolArray:
        """Mask over all rows: True where no interval conflicts with ``[start, end)``."""
        mask = np.ones(self.size, dtype=np.bool_)
        mask[self.hit_rows(start, end, rest_hours, event)] = False
        return mask
