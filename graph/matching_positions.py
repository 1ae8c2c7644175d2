"""Where volunteers live, held in the worker's memory: nearest-first candidates in milliseconds.

On a national graph a common skill near Cairo has tens of thousands of holders; scanning them
in Cypher for every urgent request costs seconds. The worker keeps every active volunteer's
(lat, lon, reach) in NumPy arrays, asks "who can reach this place, nearest first", and lets
Cypher check skills, level and membership only for that short, ordered list.

The cache reloads when it is older than `ttl_s` or the number of volunteers changed; below
`min_volunteers` it is not used at all (the plain Cypher filter is fast on small graphs).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import LiteralString

import numpy as np
from neo4j import AsyncDriver

from graph.cypher_runner import read_rows

EARTH_RADIUS_KM = 6371.0

POSITIONS: LiteralString = """
MATCH (v:Volunteer) WHERE coalesce(v.active, true) AND v.lat IS NOT NULL AND v.lon IS NOT NULL
RETURN v.id AS id, v.lat AS lat, v.lon AS lon, coalesce(v.maxTravelKm, 0.0) AS reach
"""

VOLUNTEER_COUNT: LiteralString = "MATCH (v:Volunteer) RETURN count(v) AS n"


@dataclass(frozen=True)
class PositionIndex:
    ids: list[str]
    lat: np.ndarray  # radians
    lon: np.ndarray  # radians
    reach_km: np.ndarray

    @classmethod
    def from_rows(cls, rows: list[dict[str, object]]) -> PositionIndex:
        lat = np.radians(np.array([float(r["lat"]) for r in rows], dtype=np.float64))  # type: ignore[arg-type]
        lon = np.radians(np.array([float(r["lon"]) for r in rows], dtype=np.float64))  # type: ignore[arg-type]
        reach = np.array([float(r["reach"]) for r in rows], dtype=np.float64)  # type: ignore[arg-type]
        return cls([str(r["id"]) for r in rows], lat, lon, reach)

    def distances_km(self, lat: float, lon: float) -> np.ndarray:
        """Haversine distance (km) from every volunteer to (lat, lon) in degrees."""
        p, q = np.radians(lat), np.radians(lon)
        a = (np.sin((self.lat - p) / 2) ** 2
             + np.cos(self.lat) * np.cos(p) * np.sin((self.lon - q) / 2) ** 2)
        return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))

    def within_reach(self, lat: float, lon: float, slack_km: float = 0.5) -> list[str]:
        """Ids of volunteers whose travel reach covers (lat, lon), nearest first."""
        d = self.distances_km(lat, lon)
        hit = np.nonzero(d <= self.reach_km + slack_km)[0]
        order = hit[np.argsort(d[hit], kind="stable")]
        return [self.ids[i] for i in order]


class PositionCache:
    """One PositionIndex per worker; `get` returns None on small graphs.

    Only the first load blocks. Later, when the index is older than `ttl_s` or the number of
    volunteers changed, a background reload starts and runs keep using the current index
    meanwhile (a volunteer registered seconds ago may be missed until it lands; the engine
    re-checks reach and everything else on fresh data, so a stale entry never breaks a rule).
    """

    def __init__(self, *, min_volunteers: int = 50_000, ttl_s: float = 300.0) -> None:
        self.min_volunteers = min_volunteers
        self.ttl_s = ttl_s
        self._index: PositionIndex | None = None
        self._count = -1
        self._loaded_at = 0.0
        self._lock = asyncio.Lock()
        self._refresh: asyncio.Task[None] | None = None

    async def _load(self, driver: AsyncDriver, count: int) -> None:
        index = PositionIndex.from_rows(await read_rows(driver, POSITIONS))
        self._index, self._count, self._loaded_at = index, count, time.monotonic()

    async def get(self, driver: AsyncDriver) -> PositionIndex | None:
        count = int((await read_rows(driver, VOLUNTEER_COUNT))[0]["n"])
        if count < self.min_volunteers:
            return None
        if self._index is None:
            async with self._lock:
                if self._index is None:
                    await self._load(driver, count)
            return self._index
        stale = time.monotonic() - self._loaded_at >= self.ttl_s or count != self._count
        if stale and (self._refresh is None or self._refresh.done()):
            self._refresh = asyncio.create_task(self._load(driver, count))
        return self._index

    async def close(self) -> None:
        if self._refresh is not None and not self._refresh.done():
            self._refresh.cancel()
