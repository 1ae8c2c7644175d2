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

It also holds each volunteer's weekly availability windows (engine.scheduling's own
AvailabilityIndex, so "fits one window of each local day" means exactly what the engine checks)
and the static cost terms (reliability, hours this month): candidates are the `limit` CHEAPEST
by the engine's estimated pair cost (distance, over-qualification, fairness, reliability,
exchange) among those whose windows fit the shift. On the 250K seed only ~8 % of the nearest
holders of a common skill are available at a given hour, so distance alone shipped ~2,300
volunteers for 100 slots of whom ~190 could serve, and left slots unfilled that a volunteer a
little further away could have taken. Blackouts and bookings are not in the index: the fresh
read brings them and the engine checks them.

Loading reads three column-shaped results (one record each per skill / association, or one
record of parallel lists), because the async driver pays ~0.1 ms of CPU per record: 230K
one-row-per-volunteer records took 40-80 s, the same data as columns a few seconds.

The cache reloads in the background when it is older than `ttl_s` or the number of volunteers
changed (at most once per `min_refresh_s`); below `min_volunteers` it is not used at all (the
plain Cypher filter is fast on small graphs and always fresh).
"""

from __future__ import annotations

import asyncio
import dataclasses
import io
import json
import logging
import math
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any, LiteralString

import numpy as np
from neo4j import AsyncDriver

from engine.scheduling.availability_index import AvailabilityIndex, split_windows
from engine.scheduling.errors import SchedulingError
from engine.scheduling.local_pieces import shift_day_pieces
from engine.scheduling.windows import parse_window
from graph.cypher_runner import read_rows
from graph.matching_reads import read_matching_rows

log = logging.getLogger("tahaluf.graph.positions")

EARTH_RADIUS_KM = 6371.0
REACH_SLACK_KM = 0.5

# One record of parallel lists (columns), not one record per volunteer.
POSITIONS: LiteralString = """
MATCH (v:Volunteer)
WHERE coalesce(v.active, true) AND v.id IS NOT NULL AND v.lat IS NOT NULL AND v.lon IS NOT NULL
RETURN collect(v.id) AS ids, collect(v.lat) AS lat, collect(v.lon) AS lon,
       collect(coalesce(v.maxTravelKm, 0.0)) AS reach, collect(coalesce(v.gender, '')) AS gender,
       collect(coalesce(v.availability, '')) AS availability,
       collect(coalesce(v.reliability, 1.0)) AS reliability,
       collect(coalesce(v.hoursThisMonth, 0.0)) AS hours
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
class CostWeights:
    """The engine's cost weights the ranking estimates a pair's cost with (engine.matching.costs:
    distanceKm x km + overLevel x (level - minLevel) + hoursThisMonth x h / 10
    + unreliability x (1 - r) + exchange x [not a member of the requester])."""

    distance_km: float = 1.0
    over_level: float = 0.0
    hours_this_month: float = 0.0
    unreliability: float = 0.0
    exchange: float = 0.0

    @classmethod
    def from_instance(cls, weights: Mapping[str, float]) -> CostWeights:
        return cls(
            distance_km=float(weights.get("distanceKm", 1.0)),
            over_level=float(weights.get("overLevel", 0.0)),
            hours_this_month=float(weights.get("hoursThisMonth", 0.0)),
            unreliability=float(weights.get("unreliability", 0.0)),
            exchange=float(weights.get("exchange", 0.0)),
        )


# Flat per-day availability intervals (owner row, ISO weekday, start minute, end minute), split
# at midnight as engine.scheduling.availability_index.split_windows does.
WindowArrays = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


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
    # weekly windows (None: not loaded, nobody is filtered by availability); rows whose stored
    # windows do not parse are `window_unknown` and always pass (the engine decides on them)
    windows: WindowArrays | None = None
    window_unknown: np.ndarray | None = None
    reliability: np.ndarray | None = None
    hours_this_month: np.ndarray | None = None
    # when the load that built it began (epoch seconds; 0: unknown): volunteers changed since
    # are read fresh beside its candidates (graph.matching_load)
    as_of: float = 0.0
    _availability: list[AvailabilityIndex] = field(default_factory=list, repr=False, compare=False)

    def __post_init__(self) -> None:
        # built with the index (from_columns / from_bytes run off the event loop), not by the
        # first run; a few masks of recent shift times are cached (230 KB each on 250K)
        if self.windows is not None and not self._availability:
            self._availability.append(
                AvailabilityIndex.from_arrays(*self.windows, size=len(self.ids), cache_size=32)
            )

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
        windows, unknown = (
            _window_arrays([positions["availability"][i] for i in order])
            if "availability" in positions
            else (None, None)
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
            windows=windows,
            window_unknown=unknown,
            reliability=column("reliability") if "reliability" in positions else None,
            hours_this_month=column("hours") if "hours" in positions else None,
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
        if self.windows is not None and self.window_unknown is not None:
            for name, a in zip(("w:owner", "w:day", "w:start", "w:end"), self.windows, strict=True):
                arrays[name] = a.astype(np.int32)
            arrays["w:unknown"] = self.window_unknown
        if self.reliability is not None and self.hours_this_month is not None:
            arrays["reliability"], arrays["hours"] = self.reliability, self.hours_this_month
        arrays["as_of"] = np.array([self.as_of])
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
            has_windows = "w:owner" in z.files
            has_costs = "reliability" in z.files
            return cls(
                ids=ids,
                lat=z["lat"].astype(np.float64),
                lon=z["lon"].astype(np.float64),
                reach_km=z["reach"].astype(np.float64),
                gender=z["gender"].astype("<U1"),
                skills=skills,
                members=members,
                position={vid: k for k, vid in enumerate(ids)},
                windows=(
                    z["w:owner"].astype(np.int64), z["w:day"].astype(np.int64),
                    z["w:start"].astype(np.int64), z["w:end"].astype(np.int64),
                ) if has_windows else None,
                window_unknown=z["w:unknown"].astype(bool) if has_windows else None,
                reliability=z["reliability"].astype(np.float64) if has_costs else None,
                hours_this_month=z["hours"].astype(np.float64) if has_costs else None,
                as_of=float(z["as_of"][0]) if "as_of" in z.files else 0.0,
            )

    def available_mask(self, start: datetime, end: datetime, tz: tzinfo | str) -> np.ndarray:
        """True where every local-day piece of [start, end) fits ONE weekly window of the
        volunteer (the engine's rule, without blackouts), or where the windows are unknown;
        all True when the index holds no windows."""
        if not self._availability or self.window_unknown is None:
            return np.ones(len(self.ids), dtype=bool)
        fits = self._availability[0].shift_mask(shift_day_pieces(start, end, tz))
        return np.asarray(fits | self.window_unknown, dtype=bool)

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
        return self.lowest_levels(qualifying, min_level, ends_at) < _NO_LEVEL

    def lowest_levels(self, qualifying: Iterable[str], min_level: int, ends_at: float) -> np.ndarray:
        """Per volunteer, the lowest level of a qualifying skill held at `min_level` or above and
        not expired by `ends_at` (the level the engine's over-qualification term uses);
        `_NO_LEVEL` for those who hold none."""
        best = np.full(len(self.ids), _NO_LEVEL, dtype=np.int64)
        for code in qualifying:
            h = self.skills.get(code)
            if h is None:
                continue
            ok = (h.level >= min_level) & (h.expires > ends_at)
            np.minimum.at(best, h.index[ok], h.level[ok])
        return best

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
        available: np.ndarray | None = None,
        own: np.ndarray | None = None,
        weights: CostWeights | None = None,
    ) -> list[str]:
        """Up to `limit` ids of volunteers who can reach (lat, lon), hold a qualifying skill,
        match the gender rule, are `eligible` (pool, not excluded) and `available` (when
        given): nearest first, or with `weights` cheapest first by the estimated pair cost
        (`own`: members of the requesting association, who cost no exchange term)."""
        d = self.distances_km(lat, lon) if distances is None else distances
        mask = eligible & (d <= self.reach_km + REACH_SLACK_KM)
        level = self.lowest_levels(qualifying, min_level, ends_at)
        mask &= level < _NO_LEVEL
        if gender is not None:
            mask &= self.gender == gender
        if available is not None:
            mask &= available
        hit = np.nonzero(mask)[0]
        score = d[hit] if weights is None else self._estimated_cost(
            hit, d[hit], level[hit] - min_level, own, weights
        )
        if len(hit) > limit:
            # the `limit` best, then in order (ties: by id, the array order)
            part = np.argpartition(score, limit - 1)[:limit]
            keep = score <= score[part].max()
            hit, score = hit[keep], score[keep]
        order = hit[np.argsort(score, kind="stable")][:limit]
        return [self.ids[i] for i in order]

    def _estimated_cost(
        self,
        rows: np.ndarray,
        km: np.ndarray,
        over: np.ndarray,
        own: np.ndarray | None,
        w: CostWeights,
    ) -> np.ndarray:
        """engine.matching.costs' terms for these rows (continuity is left out: it only lowers
        a cost, and only for volunteers already on the event)."""
        cost = w.distance_km * km + w.over_level * np.maximum(over, 0)
        if self.hours_this_month is not None:
            cost = cost + w.hours_this_month * self.hours_this_month[rows] / 10.0
        if self.reliability is not None:
            cost = cost + w.unreliability * (1.0 - self.reliability[rows])
        if own is not None:
            cost = cost + w.exchange * ~own[rows]
        return np.asarray(cost, dtype=np.float64)


_NO_LEVEL = 1 << 30


def _window_arrays(raw: Sequence[Any]) -> tuple[WindowArrays, np.ndarray]:
    """Each volunteer's stored availability (the JSON list of {weekday, start, end} the engine
    reads) as flat per-day intervals. Every distinct window is parsed once, by
    engine.scheduling's parse_window (a few hundred clock times and weekdays cover 250K people,
    even when no two stored strings are alike: parsing each one's windows took 3.2 s of a
    reload's CPU). Rows whose value does not parse are marked unknown."""
    windows: dict[tuple[Any, ...], tuple[int, int, int]] = {}
    rows: dict[str, list[tuple[int, int, int]] | None] = {}
    owner: list[int] = []
    day: list[int] = []
    start: list[int] = []
    end: list[int] = []
    unknown = np.zeros(len(raw), dtype=bool)
    for row, text in enumerate(raw):
        key = str(text or "")
        parsed = rows[key] if key in rows else _parse_windows(key, windows)
        if len(rows) < _ROW_MEMO:
            rows[key] = parsed
        if parsed is None:
            unknown[row] = True
            continue
        for w in parsed:
            owner.append(row)
            day.append(w[0])
            start.append(w[1])
            end.append(w[2])
    split = split_windows(
        np.asarray(owner, dtype=np.int64), np.asarray(day, dtype=np.int64),
        np.asarray(start, dtype=np.int64), np.asarray(end, dtype=np.int64),
    )
    return split, unknown


# identical stored strings (a few habits in the seed) are parsed once; bounded for real data
_ROW_MEMO = 10_000


def _parse_windows(
    text: str, memo: dict[tuple[Any, ...], tuple[int, int, int]]
) -> list[tuple[int, int, int]] | None:
    """[(weekday, start_min, end_min)] of one stored value; [] when empty (nobody's windows:
    never available, as in the engine); None when it does not parse."""
    if not text:
        return []
    try:
        items = json.loads(text)
        if not isinstance(items, list):
            return None
        out: list[tuple[int, int, int]] = []
        for item in items:
            if not isinstance(item, dict):
                return None
            # typed key: True == 1 to a dict, but the engine refuses a boolean weekday
            key = tuple((type(v), v) for v in (item.get("weekday"), item.get("start"),
                                                item.get("end")))
            if key not in memo:
                w = parse_window(item)
                memo[key] = (w.weekday, w.start_min, w.end_min)
            out.append(memo[key])
        return out
    except (ValueError, TypeError, SchedulingError):
        return None


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
    as_of = time.time()
    positions, skills, members = await asyncio.gather(
        read_matching_rows(driver, POSITIONS),
        read_matching_rows(driver, SKILL_HOLDERS, {"never": NEVER_EXPIRES}),
        read_matching_rows(driver, MEMBERS),
    )
    # building the arrays is ~1-2 s of CPU on 250K: off the event loop, runs keep moving
    index = await asyncio.to_thread(PositionIndex.from_columns, positions[0], skills, members)
    return dataclasses.replace(index, as_of=as_of)


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
