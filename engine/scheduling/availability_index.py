"""Vectorised weekly-window check: one local-day piece against many volunteers at once.

Per weekday, every volunteer's intervals of that day (each from ONE window; an over-midnight
window contributes its tail to its day and its head to the next) are kept in flat arrays sorted
by start. A piece ``(weekday, start, end)`` fits volunteer ``v`` when one of v's intervals
contains it: the intervals starting at or before the piece are a prefix (binary search), and of
those the ones ending at or after the piece's end mark their owners. Masks of distinct pieces
are cached (bounded LRU), since thousands of shifts share a few hundred time patterns.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence

import numpy as np
from numpy.typing import NDArray

from engine.scheduling.errors import SchedulingError
from engine.scheduling.types import MINUTES_PER_DAY, BoolArray, DayPiece, IntArray, Window

#: One weekday's intervals: ``(start_min, end_min, owner_row)``, sorted by start.
DayTable = tuple[NDArray[np.int16], NDArray[np.int16], NDArray[np.int32]]


def split_windows(
    owner: IntArray, weekday: IntArray, start_min: IntArray, end_min: IntArray
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """Vectorised ``window_day_intervals``: windows as flat arrays -> per-day interval arrays.

    A window whose end is not after its start yields its tail ``[start, 1440)`` on its weekday
    and, if its end is after 00:00, its head ``[0, end)`` on the next weekday (7 -> 1).
    """
    owner, weekday, start_min, end_min = (
        np.asarray(a, dtype=np.int64) for a in (owner, weekday, start_min, end_min)
    )
    overnight = end_min <= start_min
    tail_end = np.where(overnight, MINUTES_PER_DAY, end_min)
    head = overnight & (end_min > 0)
    return (
        np.concatenate([owner, owner[head]]),
        np.concatenate([weekday, weekday[head] % 7 + 1]),
        np.concatenate([start_min, np.zeros(int(head.sum()), dtype=np.int64)]),
        np.concatenate([tail_end, end_min[head]]),
    )


class AvailabilityIndex:
    """Weekly availability of ``size`` volunteers (row i = volunteer i), queried by piece."""

    __slots__ = ("size", "_days", "_cache", "_cache_size")

    def __init__(self, size: int, days: Sequence[DayTable], cache_size: int = 256) -> None:
        """Wrap per-weekday tables (index 0 = Monday); prefer ``from_windows``/``from_arrays``."""
        if len(days) != 7:
            raise SchedulingError("availability", "needs one table per ISO weekday (7)")
        self.size = size
        self._days = tuple(days)
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
        owner, weekday, start_min, end_min = (
            np.asarray(a, dtype=np.int64) for a in (owner, weekday, start_min, end_min)
        )
        if owner.size and (owner.min() < 0 or owner.max() >= size):
            raise SchedulingError("availability", "owner row out of range")
        days: list[DayTable] = []
        for day in range(1, 8):
            sel = weekday == day
            starts = start_min[sel]
            order = np.argsort(starts, kind="stable")
            days.append(
                (
                    starts[order].astype(np.int16),
                    end_min[sel][order].astype(np.int16),
                    owner[sel][order].astype(np.int32),
                )
            )
        return cls(size, days, cache_size)

    @classmethod
    def from_windows(
        cls, windows_per_row: Sequence[Iterable[Window]], cache_size: int = 256
    ) -> AvailabilityIndex:
        """Build from each volunteer's windows (row i = ``windows_per_row[i]``)."""
        flat = [
            (row, w.weekday, w.start_min, w.end_min)
            for row, windows in enumerate(windows_per_row)
            for w in windows
        ]
        table = np.array(flat, dtype=np.int64).reshape(-1, 4)
        owner, weekday, start, end = split_windows(
            table[:, 0], table[:, 1], table[:, 2], table[:, 3]
        )
        return cls.from_arrays(owner, weekday, start, end, len(windows_per_row), cache_size)

    def _compute(self, piece: DayPiece) -> BoolArray:
        starts, ends, owners = self._days[piece.weekday - 1]
        prefix = int(np.searchsorted(starts, piece.start_min, side="right"))
        covering = owners[:prefix][ends[:prefix] >= piece.end_min]
        mask = np.zeros(self.size, dtype=np.bool_)
        mask[covering] = True
        return mask

    def piece_mask(self, piece: DayPiece) -> BoolArray:
        """Read-only mask over all rows: True where ``piece`` fits one interval (cached)."""
        cached = self._cache.get(piece)
        if cached is not None:
            self._cache.move_to_end(piece)
            return cached
        mask = self._compute(piece)
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
        """``shift_mask`` restricted to ``rows`` (in the order given)."""
        return self.shift_mask(pieces)[np.asarray(rows, dtype=np.int64)]

    def pattern_table(self, patterns: Sequence[Sequence[DayPiece]]) -> BoolArray:
        """``shift_mask`` of each pattern (the pieces of a shift) as rows of one
        ``(len(patterns), size)`` table: shifts with equal pieces share a row, and a
        (shift, volunteer) pair is then one lookup."""
        table = np.empty((len(patterns), self.size), dtype=np.bool_)
        for i, pieces in enumerate(patterns):
            table[i] = self.shift_mask(pieces)
        return table
