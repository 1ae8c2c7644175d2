"""Vectorised weekly-window check: one local-day piece against many volunteers at once.

Each weekday holds two ``(volunteers, K)`` int16 arrays of interval starts and ends in minutes
(K = most intervals any volunteer has that day; padding is an empty interval that contains
nothing). A piece ``(weekday, start, end)`` fits volunteer ``v`` when one of v's intervals of that
weekday contains it; the result over all volunteers is one numpy expression. Masks of distinct
pieces are cached (bounded LRU), since thousands of shifts share a few hundred time patterns.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence

import numpy as np
from numpy.typing import NDArray

from engine.scheduling.errors import SchedulingError
from engine.scheduling.types import MINUTES_PER_DAY, DayPiece, Window
from engine.scheduling.windows import window_day_intervals

BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.int64]

_PAD_START = MINUTES_PER_DAY + 1
_PAD_END = -1


def _day_table(
    owner: IntArray, start: IntArray, end: IntArray, size: int
) -> tuple[NDArray[np.int16], NDArray[np.int16]]:
    """Pack one weekday's intervals into padded ``(size, K)`` start/end tables."""
    if owner.size == 0:
        return (
            np.full((size, 1), _PAD_START, dtype=np.int16),
            np.full((size, 1), _PAD_END, dtype=np.int16),
        )
    base = MINUTES_PER_DAY + 1
    keys = np.unique((owner * base + start) * base + end)  # dedupe, sorted by owner
    own = keys // (base * base)
    s = (keys // base) % base
    e = keys % base
    rank = np.arange(own.size) - np.searchsorted(own, own, side="left")
    width = int(rank.max()) + 1
    starts = np.full((size, width), _PAD_START, dtype=np.int16)
    ends = np.full((size, width), _PAD_END, dtype=np.int16)
    starts[own, rank] = s
    ends[own, rank] = e
    return starts, ends


class AvailabilityIndex:
    """Weekly availability of ``size`` volunteers (row i = volunteer i), queried by piece."""

    __slots__ = ("size", "_starts", "_ends", "_cache", "_cache_size")

    def __init__(
        self,
        size: int,
        starts: Sequence[NDArray[np.int16]],
        ends: Sequence[NDArray[np.int16]],
        cache_size: int = 256,
    ) -> None:
        """Wrap per-weekday tables (index 0 = Monday); prefer ``from_windows``/``from_arrays``."""
        if len(starts) != 7 or len(ends) != 7:
            raise SchedulingError("availability", "needs one table per ISO weekday (7)")
        self.size = size
        self._starts = tuple(starts)
        self._ends = tuple(ends)
        self._cache: OrderedDict[DayPiece, BoolArray] = OrderedDict()
        self._cache_size = cache_size

    @classmethod
    def from_arrays(
        cls,
        owner: IntArray,
        weekday: IntArray,
        start_min: IntArray,
        end_min: IntArray,
        size: int,
        cache_size: int = 256,
    ) -> AvailabilityIndex:
        """Build from flat per-day intervals (already split at midnight: ``start < end <= 1440``).

        Row ``owner[i]`` is available on ``weekday[i]`` (1..7) over ``[start_min[i], end_min[i])``.
        """
        owner = np.asarray(owner, dtype=np.int64)
        weekday = np.asarray(weekday, dtype=np.int64)
        start_min = np.asarray(start_min, dtype=np.int64)
        end_min = np.asarray(end_min, dtype=np.int64)
        if owner.size and (owner.min() < 0 or owner.max() >= size):
            raise SchedulingError("availability", "owner row out of range")
        starts: list[NDArray[np.int16]] = []
        ends: list[NDArray[np.int16]] = []
        for day in range(1, 8):
            sel = weekday == day
            s_tab, e_tab = _day_table(owner[sel], start_min[sel], end_min[sel], size)
            starts.append(s_tab)
            ends.append(e_tab)
        return cls(size, starts, ends, cache_size)

    @classmethod
    def from_windows(
        cls, windows_per_row: Sequence[Iterable[Window]], cache_size: int = 256
    ) -> AvailabilityIndex:
        """Build from each volunteer's windows (row i = ``windows_per_row[i]``)."""
        owner: list[int] = []
        weekday: list[int] = []
        start: list[int] = []
        end: list[int] = []
        for row, windows in enumerate(windows_per_row):
            for window in windows:
                for day, s, e in window_day_intervals(window):
                    owner.append(row)
                    weekday.append(day)
                    start.append(s)
                    end.append(e)
        return cls.from_arrays(
            np.array(owner, dtype=np.int64),
            np.array(weekday, dtype=np.int64),
            np.array(start, dtype=np.int64),
            np.array(end, dtype=np.int64),
            len(windows_per_row),
            cache_size,
        )

    def _compute(self, piece: DayPiece, rows: IntArray | None) -> BoolArray:
        starts = self._starts[piece.weekday - 1]
        ends = self._ends[piece.weekday - 1]
        if rows is not None:
            starts, ends = starts[rows], ends[rows]
        inside = (starts <= piece.start_min) & (ends >= piece.end_min)
        return np.asarray(inside.any(axis=1), dtype=np.bool_)

    def piece_mask(self, piece: DayPiece) -> BoolArray:
        """Read-only mask over all rows: True where ``piece`` fits one interval (cached)."""
        cached = self._cache.get(piece)
        if cached is not None:
            self._cache.move_to_end(piece)
            return cached
        mask = self._compute(piece, None)
        mask.flags.writeable = False
        self._cache[piece] = mask
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return mask

    def shift_mask(self, pieces: Iterable[DayPiece]) -> BoolArray:
        """Mask over all rows: True where every piece of a shift fits (a fresh, writable array)."""
        mask = np.ones(self.size, dtype=np.bool_)
        for piece in pieces:
            mask &= self.piece_mask(piece)
        return mask

    def shift_mask_rows(self, pieces: Iterable[DayPiece], rows: IntArray) -> BoolArray:
        """Like ``shift_mask`` but only for ``rows`` (uncached; for a small candidate subset)."""
        rows = np.asarray(rows, dtype=np.int64)
        mask = np.ones(rows.size, dtype=np.bool_)
        for piece in pieces:
            cached = self._cache.get(piece)
            mask &= cached[rows] if cached is not None else self._compute(piece, rows)
        return mask
