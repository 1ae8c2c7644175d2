"""One rectangular assignment with an "unfilled" column per row, on SciPy's solvers.

Rows are slots, columns are volunteers; every row also has its own unfilled column carrying its
unfilled penalty, so a full matching always exists. Small dense blocks go to
``scipy.optimize.linear_sum_assignment``, the rest to
``scipy.sparse.csgraph.min_weight_full_bipartite_matching`` (LAPJVsp).
"""

from __future__ import annotations

import time

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from engine.types import FloatArray, IntArray

DENSE_CELLS = 200_000


class ScipyClock:
    """Accumulates the wall time spent inside SciPy's assignment solvers."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.calls = 0


def solve_rows(
    nrows: int,
    ncols: int,
    row: IntArray,
    col: IntArray,
    weight: FloatArray,
    unfilled: FloatArray,
    clock: ScipyClock,
) -> IntArray:
    """Minimum-weight assignment; returns the chosen column per row, -1 for "unfilled".

    ``weight``/``unfilled`` may be any reals: they are shifted so every weight is >= 1 (a
    constant per row, which does not change the optimum).
    """
    if nrows == 0:
        return np.zeros(0, dtype=np.int64)
    if len(row) == 0:
        return np.full(nrows, -1, dtype=np.int64)
    low = min(float(weight.min()), float(unfilled.min()))
    shift = 1.0 - low if low < 1.0 else 0.0
    result = np.full(nrows, -1, dtype=np.int64)
    if nrows * (ncols + nrows) <= DENSE_CELLS:
        dense = np.full((nrows, ncols + nrows), np.inf)
        dense[row, col] = weight + shift
        dense[np.arange(nrows), ncols + np.arange(nrows)] = unfilled + shift
        t0 = time.perf_counter()
        r, c = linear_sum_assignment(dense)
        clock.seconds += time.perf_counter() - t0
        clock.calls += 1
    else:
        rows = np.concatenate([row, np.arange(nrows)])
        cols = np.concatenate([col, ncols + np.arange(nrows)])
        vals = np.concatenate([weight + shift, unfilled + shift])
        m = sp.csr_matrix((vals, (rows, cols)), shape=(nrows, ncols + nrows))
        t0 = time.perf_counter()
        r, c = min_weight_full_bipartite_matching(m)
        clock.seconds += time.perf_counter() - t0
        clock.calls += 1
    real = c < ncols
    result[r[real]] = c[real]
    return result
