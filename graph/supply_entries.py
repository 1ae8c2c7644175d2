"""A volunteer's skill-gap supply entries and the cells they add up to, computed in Python.

The same rule as `graph.supply_cells.VOLUNTEER_ENTRIES` (which every writer runs in its own
transaction), for the one writer that has all the rows in hand already: the bulk seed into an
empty graph. There the Cypher rebuild (every volunteer's entries, then the cells counted from
them) cost 17.5 s on a fresh JVM, a third of the 250K load (its expressions are interpreted
until the JIT warms up). Computed while the rows are generated, the entries are written with
the volunteers and the cells are written as plain rows.

An entry is "governorate|skill|m|spans|month#exp": an active volunteer with a residence and at
least one weekly span holds skill t at level m when some holding of a skill that implies t
(itself included) has level >= m; exp is the latest expiry among those holdings in epoch ms
(-1 when one never expires), month the first instant (UTC) of exp's month, spans the weekly
spans written as "a,b,". tests/graph/test_supply_entries.py checks these against the Cypher.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
NEVER = -1


def _ms(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(milliseconds=1)


@lru_cache(maxsize=4096)
def _spans(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split(",") if x != "")


def month_start_ms(exp_ms: int) -> int:
    """The first instant (UTC) of the month `exp_ms` falls in, in epoch ms (-1 stays -1)."""
    if exp_ms < 0:
        return NEVER
    moment = _EPOCH + timedelta(milliseconds=exp_ms)
    return _ms(moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0))


@lru_cache(maxsize=4096)
def next_month_ms(month_ms: int) -> int:
    """The first instant of the month after the one starting at `month_ms` (-1 stays -1)."""
    if month_ms < 0:
        return NEVER
    start = _EPOCH + timedelta(milliseconds=month_ms)
    year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
    return _ms(start.replace(year=year, month=month))


def volunteer_entries(
    *,
    governorate: str | None,
    active: bool,
    spans: list[int],
    holdings: Iterable[tuple[str, int, int | None]],
    implied: Mapping[str, Iterable[str]],
    max_level: int,
) -> list[str]:
    """The sorted entries of one volunteer. `holdings` are (skill code, level, expiry in epoch
    ms or None); `implied[code]` lists the codes a skill implies, itself included."""
    if not active or governorate is None or not spans:
        return []
    held: dict[str, list[tuple[int, int | None]]] = {}
    for code, level, exp in holdings:
        for target in implied.get(code, (code,)):
            held.setdefault(target, []).append((level, exp))
    span_text = "".join(f"{x}," for x in spans)
    entries = []
    for skill, qualifying in held.items():
        for m in range(1, max_level + 1):
            q = [exp for level, exp in qualifying if level >= m]
            if not q:
                break  # levels only fall off as m grows
            exp = NEVER if any(e is None for e in q) else max([0, *q])  # type: ignore[list-item]
            entries.append(
                f"{governorate}|{skill}|{m}|{span_text}|{month_start_ms(exp)}#{exp}"
            )
    return sorted(entries)


@dataclass(slots=True)
class CellTally:
    """The supply cells a set of entries adds up to (what `COUNT_ALL_CELLS` writes)."""

    cells: dict[str, list[Any]] = field(default_factory=dict)  # key -> [count, exps]

    def add(self, entries: Iterable[str]) -> None:
        for entry in entries:
            key, _, exp_text = entry.partition("#")
            cell = self.cells.get(key)
            if cell is None:
                cell = self.cells[key] = [0, []]
            cell[0] += 1
            exp = int(exp_text)
            if exp >= 0:
                cell[1].append(exp)

    def rows(self) -> list[dict[str, Any]]:
        """One property map per cell, as `CELL_FROM_KEY` would set them."""
        out = []
        for key, (count, exps) in self.cells.items():
            governorate, skill, level, spans, month = key.split("|")
            month_ms = int(month)
            out.append(
                {
                    "key": key,
                    "governorate": governorate,
                    "skill": skill,
                    "level": int(level),
                    "spans": list(_spans(spans)),
                    "month": month_ms,
                    "monthEnd": next_month_ms(month_ms),
                    "count": count,
                    "exps": exps,
                }
            )
        return out
