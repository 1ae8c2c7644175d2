"""The weekly-window rule for many (shift, volunteer) pairs at once, on a per-day window table.

The table is CSR over ``row = owner * 7 + (weekday - 1)``: each owner's windows split at
midnight (``split_windows``: an over-midnight window gives its tail to its day and its head to
the next) and sorted by (start, end) within a row. A shift is given by its local-day pieces
(``shift_day_pieces``, flattened as CSR per shift); it fits a volunteer when every piece lies
inside ONE interval of that volunteer's weekday (two windows of a day are not joined).
"""

from __future__ import annotations

import numpy as np

from engine.scheduling.availability_index import split_windows
from engine.scheduling.types import BoolArray, IntArray

#: A per-day window table: ``(ptr, start_min, end_min)``, ``ptr`` of length ``7 * owners + 1``.
WindowTable = tuple[IntArray, IntArray, IntArray]


def day_table(
    owner: IntArray, weekday: IntArray, start_min: IntArray, end_min: IntArray, owners: int
) -> WindowTable:
    """Build the table of ``owners`` rows from weekly windows as flat arrays (window ``i`` of
    ``owner[i]`` on ``weekday[i]`` 1..7 from ``start_min[i]`` to ``end_min[i]``, clock minutes)."""
    o, d, s, e = split_windows(owner, weekday, start_min, end_min)
    row = o * 7 + d - 1
    order = np.lexsort((e, s, row))
    ptr = np.zeros(7 * owners + 1, dtype=np.int64)
    ptr[1:] = np.cumsum(np.bincount(row, minlength=7 * owners))
    return ptr, s[order], e[order]


def piece_in_one_window(
    table: WindowTable, owner: IntArray, weekday: IntArray, start_min: IntArray, end_min: IntArray
) -> BoolArray:
    """True where ``[start_min, end_min)`` on ``weekday`` lies inside one interval of ``owner``."""
    ptr, w_start, w_end = table
    row = owner * 7 + weekday - 1
    w0 = ptr[row]
    wn = ptr[row + 1] - w0
    ok = np.zeros(len(row), dtype=bool)
    for k in range(int(wn.max(initial=0))):
        sel = np.flatnonzero((wn > k) & ~ok)
        w = w0[sel] + k
        ok[sel] = (w_start[w] <= start_min[sel]) & (w_end[w] >= end_min[sel])
    return ok


def shifts_fit_windows(
    table: WindowTable,
    piece_ptr: IntArray,
    piece_weekday: IntArray,
    piece_start: IntArray,
    piece_end: IntArray,
    shift: IntArray,
    owner: IntArray,
) -> BoolArray:
    """Per pair ``i``: every local-day piece of shift ``shift[i]`` (pieces
    ``piece_ptr[s]:piece_ptr[s+1]``) fits one window interval of volunteer ``owner[i]``."""
    p0 = piece_ptr[shift]
    npieces = piece_ptr[shift + 1] - p0
    pair = np.repeat(np.arange(len(shift)), npieces)
    piece = np.repeat(p0 - np.cumsum(npieces) + npieces, npieces) + np.arange(len(pair))
    ok = piece_in_one_window(
        table, owner[pair], piece_weekday[piece], piece_start[piece], piece_end[piece]
    )
    out: BoolArray = np.bincount(pair[~ok], minlength=len(shift)) == 0
    return out
