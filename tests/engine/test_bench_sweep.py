"""bench/sweep.py: the engine against the exact MILP on several generated seeds, end to end."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SWEEP = Path(__file__).resolve().parents[2] / "bench" / "sweep.py"


def test_a_small_sweep_reports_every_seed_at_the_optimum(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("bench_sweep", SWEEP)
    assert spec is not None and spec.loader is not None
    sweep = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sweep)
    assert sweep.seed_range("1-3,7") == [1, 2, 3, 7]
    assert sweep.main(["--volunteers", "150", "--slots", "40", "--seeds", "1-3"]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line and not line.startswith(("#", " seed"))]
    assert len(rows) == 3 and all(line.endswith("= optimum") for line in rows), out
    assert "# 3/3 seeds equal to the proven optimum; 0 with fewer slots filled" in out
