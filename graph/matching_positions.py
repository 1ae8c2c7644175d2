"""Who could fill a need, held in the worker's memory: nearest-first candidates in milliseconds.

On a national graph a common skill near Cairo has tens of thousands of holders; checking them
in Cypher for every urgent request costs seconds and hundreds of thousands of db hits. The
worker keeps, for every active volunteer, where they live and how far they travel, their
gender, their skills (level and expiry) and their associations in NumPy arrays, answers "who
can reach this place and holds a qualifying skill, nearest first" in memory, and reads only
that short list from Neo4j, fresh, for the engine.

The index is a pre-filter, never the truth: the engine re-checks every rule on the fresh rows.
A stale entry can only cost a candidate (someone who gained a skill after the last load is not
proposed until the next one), never break a rule.

Loading reads three column-shaped results (one record each per skill / association, or one
record of parallel lists), because the async driver pays ~0.1 ms of CPU per record: 230K
one-row-per-volunteer records took 40-80 s, the same data as columns a few seconds.

The cache reloads in the background when it is older than `ttl_s` or the number of volunteers
changed (at most once per `min_refresh_s`); below `min_volunteers` it is not used at all (the
plain Cypher filter is fast on small graphs and always fresh).
"""

from __future__ import annotations

import asyncio
import io
import logging
import math
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, LiteralString

import numpy as np
from neo4j import AsyncDriver

from graph.cypher_runner import read_rows
from graph.matching_reads import read_plain_rows

log = logging.getLogger("tahaluf.graph.positions")

EARTH_RADIUS_KM = 6371.0
REACH_SLACK_KM = 0.5

# One record of parallel lists (columns), not one record per volunteer.
POSITIONS: LiteralString = """
MATCH (v:Volunteer)
WHERE coalesce(v.active, true) AND v.id IS NOT NULL AND v.lat IS NOT NULL AND v.lon IS NOT NULL
RETURN collect(v.id) AS ids, collect(v.lat) AS lat, collect(v.lon) AS lon,
       collect(coalesce(v.maxTravelKm, 0.0)) AS reach, collect(coalesce(v.gender, '')) AS gender
"""

# One record per skill: its holders with level and expiry (epoch seconds, $never = never).
# (collect drops nulls, so every column is coalesced to keep the lists parallel.)
SKILL_HOLDERS: LiteralString = """
MATCH (k:Skill)<-[h:HAS_SKILL]-(v)
RETURN k.code AS code, collect(coalesce(v.id, '')) AS ids, collect(coalesce(h.level, 0)) AS levels,
       collect(coalesce(h.expiresAt.epochSeconds, $never)) AS expires
"""
NEVER_EXPIRES = 2**53

# One record per association: its members.
MEMBERS: LiteralString = """
MATCH (a:Association)<-[:MEMBER_OF]-(v)
RETURN a.id AS id, collect(coalesce(v.id, '')) AS ids
"""

VOLUNTEER_COUNT: LiteralString = "MATCH (v:Volunteer) RETURN count(v) AS n"

_EMPTY = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class SkillHolders:
    """Holders of one skill: indices into the index's arrays, with level and expiry."""

    index: np.ndarray  # int64
    level: np.ndarray  # int64
    expires: np.ndarray  # float64 epoch seconds, inf = never


@dataclass(frozen=True)
class PositionIndex:
    ids: list[str]
    lat: np.ndarray  # radians
    lon: np.ndarray  # radians
    reach_km: np.ndarray
    gender: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype="<U1"))
    skills: Mapping[str, SkillHolders] = field(default_factory=dict)
    members: Mapping[str, np.ndarray] = field(default_factory=dict)
    position: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows: list[dict[str, object]]) -> PositionIndex:
        """Positions only (id, lat, lon, reach) — what the nearest-first tests need."""
        return cls.from_columns(
            {
                "ids": [r["id"] for r in rows],
                "lat": [r["lat"] for r in rows],
                "lon": [r["lon"] for r in rows],
                "reach": [r["reach"] for r in rows],
                "gender": [r.get("gender", "") for r in rows],
            }
        )

    @classmethod
    def from_columns(
        cls,
        positions: Mapping[str, Sequence[Any]],
        skills: Iterable[Mapping[str, Any]] = (),
        members: Iterable[Mapping[str, Any]] = (),
    ) -> PositionIndex:
        """Build from the three column-shaped results; volunteers are sorted by id so that ties
        in distance break the same way on every load (deterministic candidate lists)."""
        raw_ids = [str(i) for i in positions["ids"]]
        order = sorted(range(len(raw_ids)), key=raw_ids.__getitem__)
        ids = [raw_ids[i] for i in order]
        take = np.asarray(order, dtype=np.int64)

        def column(name: str) -> np.ndarray:
            return np.asarray(positions[name], dtype=np.float64)[take] if ids else np.zeros(0)

        position = {vid: k for k, vid in enumerate(ids)}
        genders = positions.get("gender") or [""] * len(raw_ids)
        gender = np.asarray([str(g or "") for g in genders], dtype="<U1")[take] if ids else (
            np.zeros(0, dtype="<U1")
        )
        return cls(
            ids=ids,
            lat=np.radians(column("lat")),
            lon=np.radians(column("lon")),
            reach_km=column("reach"),
            gender=gender,
            skills={str(r["code"]): _holders(r, position) for r in skills},
            members={str(r["id"]): _indices(r["ids"], position) for r in members},
            position=position,
        )

    def __len__(self) -> int:
        return len(self.ids)

    def to_bytes(self) -> bytes:
        """A compact snapshot (NumPy .npz) that `from_bytes` turns back into the same index."""
        arrays: dict[str, np.ndarray] = {
            "ids": np.frombuffer("\n".join(self.ids).encode(), dtype=np.uint8),
            "lat": self.lat, "lon": self.lon, "reach": self.reach_km,
            "gender": self.gender.astype("<U1"),
        }
        for code, h in self.skills.items():
            arrays[f"s:{code}:i"] = h.index.astype(np.int32)
            arrays[f"s:{code}:l"] = h.level.astype(np.int16)
            arrays[f"s:{code}:e"] = h.expires
        for aid, members in self.members.items():
            arrays[f"m:{aid}"] = members.astype(np.int32)
        out = io.BytesIO()
        np.savez(out, **arrays)  # type: ignore[arg-type]
        return out.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> PositionIndex:
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            text = z["ids"].tobytes().decode()
            ids = text.split("\n") if text else []
            skills: dict[str, SkillHolders] = {}
            members: dict[str, np.ndarray] = {}
            for name in z.files:
                if name.startswith("s:") and name.endswith(":i"):
                    code = name[2:-2]
                    skills[code] = SkillHolders(
                        z[name].astype(np.int64),
                        z[f"s:{code}:l"].astype(np.int64),
                        z[f"s:{code}:e"].astype(np.float64),
                    )
                elif name.startswith("m:"):
                    members[name[2:]] = z[name].astype(np.int64)
            return cls(
                ids=ids,
                lat=z["lat"].astype(np.float64),
                lon=z["lon"].astype(np.float64),
                reach_km=z["reach"].astype(np.float64),
                gender=z["gender"].astype("<U1"),
                skills=skills,
                members=members,
                position={vid: k for k, vid in enumerate(ids)},
            )

    def distances_km(self, lat: float, lon: float) -> np.ndarray:
        """Haversine distance (km) from every volunteer to (lat, lon) in degrees."""
        p, q = np.radians(lat), np.radians(lon)
        a = (np.sin((self.lat - p) / 2) ** 2
             + np.cos(self.lat) * np.cos(p) * np.sin((self.lon - q) / 2) ** 2)
        return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))

    def within_reach(self, lat: float, lon: float, slack_km: float = REACH_SLACK_KM) -> list[str]:
        """Ids of volunteers whose travel reach covers (lat, lon), nearest first."""
        d = self.distances_km(lat, lon)
        hit = np.nonzero(d <= self.reach_km + slack_km)[0]
        order = hit[np.argsort(d[hit], kind="stable")]
        return [self.ids[i] for i in order]

    def member_mask(self, associations: Iterable[str]) -> np.ndarray:
        """True for volunteers who belong to at least one of `associations`."""
        mask = np.zeros(len(self.ids), dtype=bool)
        for a in associations:
            mask[self.members.get(a, _EMPTY)] = True
        return mask

    def qualified_mask(self, qualifying: Iterable[str], min_level: int, ends_at: float) -> np.ndarray:
        """True for holders of a qualifying skill at `min_level` or above, not expired by
        `ends_at` (epoch seconds) — the same test as the Cypher filter."""
        mask = np.zeros(len(self.ids), dtype=bool)
        for code in qualifying:
            h = self.skills.get(code)
            if h is None:
                continue
            ok = (h.level >= min_level) & (h.expires > ends_at)
            mask[h.index[ok]] = True
        return mask

    def nearest_candidates(
        self,
        *,
        lat: float,
        lon: float,
        qualifying: Iterable[str],
        min_level: int,
        ends_at: float,
        gender: str | None,
        eligible: np.ndarray,
        limit: int,
        distances: np.ndarray | None = None,
    ) -> list[str]:
        """Up to `limit` ids, nearest first, of volunteers who can reach (lat, lon), hold a
        qualifying skill, match the gender rule and are `eligible` (pool, not excluded)."""
        d = self.distances_km(lat, lon) if distances is None else distances
        mask = eligible & (d <= self.reach_km + REACH_SLACK_KM)
        mask &= self.qualified_mask(qualifying, min_level, ends_at)
        if gender is not None:
            mask &= self.gender == gender
        hit = np.nonzero(mask)[0]
        if len(hit) > limit:
            # the `limit` nearest, then in order (ties: by id, the array order)
            part = np.argpartition(d[hit], limit - 1)[:limit]
            cut = d[hit][part].max()
            hit = hit[d[hit] <= cut]
        order = hit[np.argsort(d[hit], kind="stable")][:limit]
        return [self.ids[i] for i in order]


def _indices(ids: Iterable[Any], position: Mapping[str, int]) -> np.ndarray:
    found = [position.get(str(i), -1) for i in ids]
    arr = np.asarray(found, dtype=np.int64)
    return arr[arr >= 0] if len(arr) else _EMPTY


def _holders(row: Mapping[str, Any], position: Mapping[str, int]) -> SkillHolders:
    where = np.asarray([position.get(str(i), -1) for i in row["ids"]], dtype=np.int64)
    keep = where >= 0
    levels = np.asarray([int(x) for x in row["levels"]], dtype=np.int64)
    expires = np.asarray(
        [math.inf if x is None or x >= NEVER_EXPIRES else float(x) for x in row["expires"]],
        dtype=np.float64,
    )
    if not len(where):
        return SkillHolders(_EMPTY, _EMPTY, np.zeros(0))
    return SkillHolders(where[keep], levels[keep], expires[keep])


async def load_index(driver: AsyncDriver) -> PositionIndex:
    """Read the three column-shaped results concurrently and build the index."""
    positions, skills, members = await asyncio.gather(
        read_plain_rows(driver, POSITIONS),
        read_plain_rows(driver, SKILL_HOLDERS, {"never": NEVER_EXPIRES}),
        read_plain_rows(driver, MEMBERS),
    )
    # building the arrays is ~1-2 s of CPU on 250K: off the event loop, runs keep moving
    return await asyncio.to_thread(PositionIndex.from_columns, positions[0], skills, members)


class SnapshotStore:
    """Where a worker keeps the last index it loaded, so that a restarted worker (a deploy, a
    crash) serves from it at once instead of waiting for a full load (seconds on 250K).
    `load` returns the bytes or None; `save` stores them. Both may fail: the cache carries on."""

    def __init__(
        self,
        load: Callable[[], Awaitable[bytes | None]],
        save: Callable[[bytes], Awaitable[None]],
    ) -> None:
        self.load = load
        self.save = save


class PositionCache:
    """One PositionIndex per worker; `get` returns None on small graphs.

    Only the first load blocks, and not even that when a snapshot of an earlier load is at hand
    (`snapshots`): the worker then serves from the snapshot and reloads in the background from
    the first `get` after `min_refresh_s` on. Later, when the index is older than `ttl_s` or the number of volunteers changed, a
    background reload starts (at most once per `min_refresh_s`) and runs keep using the current
    index meanwhile (a volunteer registered seconds ago may be missed until it lands; the engine
    re-checks reach and everything else on fresh data, so a stale entry never breaks a rule).
    """

    def __init__(
        self,
        *,
        min_volunteers: int = 50_000,
        ttl_s: float = 300.0,
        min_refresh_s: float = 30.0,
        snapshots: SnapshotStore | None = None,
    ) -> None:
        self.min_volunteers = min_volunteers
        self.ttl_s = ttl_s
        self.min_refresh_s = min_refresh_s
        self.snapshots = snapshots
        self._index: PositionIndex | None = None
        self._count = -1
        self._loaded_at = 0.0
        self._lock = asyncio.Lock()
        self._refresh: asyncio.Task[None] | None = None
        self.last_load_s: float | None = None
        self.from_snapshot = False

    @property
    def loaded(self) -> bool:
        return self._index is not None

    async def _load(self, driver: AsyncDriver, count: int) -> None:
        started = time.perf_counter()
        index = await load_index(driver)
        self._index, self._count, self._loaded_at = index, count, time.monotonic()
        self.from_snapshot = False
        self.last_load_s = time.perf_counter() - started
        log.info(
            "candidate index loaded: %d active volunteers, %d skills, %d associations in %.2f s",
            len(index), len(index.skills), len(index.members), self.last_load_s,
        )
        if self.snapshots is not None:
            try:
                await self.snapshots.save(await asyncio.to_thread(index.to_bytes))
            except Exception:
                log.warning("could not save the candidate index snapshot", exc_info=True)

    async def _from_snapshot(self, count: int) -> bool:
        """Serve from the last saved index (stale on purpose: a reload follows shortly)."""
        if self.snapshots is None:
            return False
        started = time.perf_counter()
        try:
            data = await self.snapshots.load()
            if not data:
                return False
            index = await asyncio.to_thread(PositionIndex.from_bytes, data)
        except Exception:
            log.warning("could not read the candidate index snapshot", exc_info=True)
            return False
        # reload from Neo4j on the first `get` after `min_refresh_s`, not at once: the runs that
        # come right after a restart (a crashed run's retry) need Neo4j and the CPU more
        self._index, self._count = index, count
        self._loaded_at = time.monotonic() - self.ttl_s + self.min_refresh_s
        self.from_snapshot = True
        self.last_load_s = time.perf_counter() - started
        log.info(
            "candidate index from snapshot: %d active volunteers in %.2f s (reloading)",
            len(index), self.last_load_s,
        )
        return True

    async def get(self, driver: AsyncDriver) -> PositionIndex | None:
        count = int((await read_rows(driver, VOLUNTEER_COUNT))[0]["n"])
        if count < self.min_volunteers:
            return None
        if self._index is None:
            async with self._lock:
                if self._index is None and not await self._from_snapshot(count):
                    await self._load(driver, count)
        age = time.monotonic() - self._loaded_at
        stale = age >= self.ttl_s or (count != self._count and age >= self.min_refresh_s)
        if stale and (self._refresh is None or self._refresh.done()):
            self._refresh = asyncio.create_task(self._reload(driver, count))
        return self._index

    async def _reload(self, driver: AsyncDriver, count: int) -> None:
        try:
            await self._load(driver, count)
        except Exception:  # keep serving the current index; the next get tries again
            log.warning("candidate index reload failed", exc_info=True)
            self._loaded_at = time.monotonic() - self.ttl_s + self.min_refresh_s

    async def close(self) -> None:
        if self._refresh is not None and not self._refresh.done():
            self._refresh.cancel()
