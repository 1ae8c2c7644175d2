"""The peers' own model of an instance: candidate edges (need, volunteer, lender, cost) and the
coupling rules between edges (one slot per shift, overlap/rest, weekly hours, lender quotas).

Independent of the engine: it reads the raw "tahaluf-instance/1" dict with NumPy and reuses only
the independent validator's readers and clock helpers (INSTANCE.md "Precise meanings"). Every
peer (greedy, OR-Tools, Timefold, MILP) solves exactly this model, so they are compared fairly.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from engine.matching.validation_model import (
    DEFAULT_WEIGHTS,
    exact_share,
    implication_closure,
    read_windows,
)
from engine.matching.validation_time import day_pieces, epoch, local_year, week_hours

EARTH_RADIUS_KM = 6371.0
KM_PER_DEG_LAT = math.pi * EARTH_RADIUS_KM / 180.0


@dataclass
class Need:
    shift: int
    index: int  # position in the shift's needs
    count: int
    penalty: float  # objective weight of one unfilled slot


@dataclass
class PeerModel:
    tz: ZoneInfo
    rest_s: float
    vol_ids: list[str]
    shift_ids: list[str]
    assoc_ids: list[str]
    shift_start: np.ndarray
    shift_end: np.ndarray
    shift_event: list[str | None]
    shift_urgent: np.ndarray
    shift_weeks: list[dict[tuple[int, int], float]]
    needs: list[Need]
    # edges, sorted by need then cost
    e_need: np.ndarray
    e_vol: np.ndarray
    e_lender: np.ndarray  # association index or -1 for own members
    e_cost: np.ndarray
    quota: dict[int, int]  # lender association index -> floor(maxShare x active members)
    week_budget: dict[tuple[int, tuple[int, int]], float]  # (vol, week) -> hours left
    max_hours: np.ndarray
    seconds_build: float = 0.0
    no_candidates: set[int] = field(default_factory=set)

    @property
    def e_shift(self) -> np.ndarray:
        return np.array([self.needs[n].shift for n in self.e_need.tolist()], dtype=np.int64)

    def budget(self, vol: int, week: tuple[int, int]) -> float:
        return self.week_budget.get((vol, week), float(self.max_hours[vol]))

    def conflict(self, a: int, b: int) -> bool:
        """Shifts a and b cannot both be taken by one volunteer (overlap, rest, same shift)."""
        if a == b:
            return True
        sa, ea, sb, eb = (
            self.shift_start[a],
            self.shift_end[a],
            self.shift_start[b],
            self.shift_end[b],
        )
        if (sa, ea) > (sb, eb):
            a, b, sa, ea, sb, eb = b, a, sb, eb, sa, ea
        if sb - ea >= self.rest_s:
            return False
        event = self.shift_event[a]
        return not (ea == sb and event is not None and event == self.shift_event[b])


def haversine(
    lat1: np.ndarray | float, lon1: np.ndarray | float, lat2: float, lon2: float
) -> np.ndarray:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def booking_conflict(
    start: float,
    end: float,
    event: str | None,
    booked: list[tuple[float, float, str | None]],
    rest: float,
) -> bool:
    for bs, be, bev in booked:
        if (start, end) <= (bs, be):
            first_end, second_start, same = end, bs, event is not None and event == bev
        else:
            first_end, second_start, same = be, start, bev is not None and event == bev
        if second_start - first_end >= rest:
            continue
        if first_end == second_start and same:
            continue
        return True
    return False


def build_model(instance: dict[str, Any]) -> PeerModel:
    import time

    began = time.perf_counter()
    rules = instance.get("rules") or {}
    tz = ZoneInfo(rules.get("timezone", "Africa/Cairo"))
    rest_s = float(rules.get("minRestHours", 0)) * 3600.0
    weights = dict(DEFAULT_WEIGHTS)
    weights.update({k: float(v) for k, v in (instance.get("weights") or {}).items()})
    served_by = implication_closure(instance["skills"])
    assocs = instance["associations"]
    assoc_ids = [a["id"] for a in assocs]
    a_index = {a: i for i, a in enumerate(assoc_ids)}
    n_a = len(assocs)
    lends_to = np.zeros((n_a, n_a), dtype=bool)  # lender x borrower
    for i, a in enumerate(assocs):
        if a.get("lends"):
            borrowers = a.get("borrowers")
            if borrowers is None:
                lends_to[i, :] = True
            else:
                for b in borrowers:
                    if b in a_index:
                        lends_to[i, a_index[b]] = True
            lends_to[i, i] = False

    vols = instance["volunteers"]
    n = len(vols)
    vol_ids = [v["id"] for v in vols]
    lat = np.array([v["lat"] for v in vols], dtype=float)
    lon = np.array([v["lon"] for v in vols], dtype=float)
    travel = np.array([v["maxTravelKm"] for v in vols], dtype=float)
    max_hours = np.array([v["maxHoursWeek"] for v in vols], dtype=float)
    reliab = np.array([v["reliability"] for v in vols], dtype=float)
    hmonth = np.array([v["hoursThisMonth"] for v in vols], dtype=float)
    active = np.array([v.get("active", True) is True for v in vols], dtype=bool)
    female = np.array([v.get("gender") == "F" for v in vols], dtype=bool)
    male = np.array([v.get("gender") == "M" for v in vols], dtype=bool)
    birth = np.array([v["birthYear"] for v in vols], dtype=np.int64)
    member = np.zeros((n, n_a), dtype=bool)
    pattern_of = np.zeros(n, dtype=np.int64)
    patterns: list[dict[int, list[tuple[int, int]]]] = []
    pattern_key: dict[Any, int] = {}
    pattern_by_obj: dict[int, int] = {}
    skill_rows: dict[str, tuple[list[int], list[int], list[float]]] = defaultdict(
        lambda: ([], [], [])
    )
    extras: dict[int, tuple[list[tuple[float, float]], list[tuple[float, float, str | None]]]] = {}
    for i, v in enumerate(vols):
        for a in v["associations"]:
            member[i, a_index[a]] = True
        avail = v.get("availability") or []
        pid = pattern_by_obj.get(id(avail))
        if pid is None:
            key = tuple((w["weekday"], w["start"], w["end"]) for w in avail)
            pid = pattern_key.get(key)
            if pid is None:
                pid = len(patterns)
                pattern_key[key] = pid
                patterns.append(read_windows(avail, "availability"))
            pattern_by_obj[id(avail)] = pid
        pattern_of[i] = pid
        for s in v.get("skills") or []:
            rows = skill_rows[s["code"]]
            rows[0].append(i)
            rows[1].append(int(s["level"]))
            exp = s.get("expiresAt")
            rows[2].append(math.inf if exp is None else epoch(exp))
        if v.get("blackouts") or v.get("booked"):
            extras[i] = (
                [(epoch(b["start"]), epoch(b["end"])) for b in v.get("blackouts") or []],
                [
                    (epoch(b["start"]), epoch(b["end"]), b.get("event"))
                    for b in v.get("booked") or []
                ],
            )
    # per skill code, holders sorted by latitude (band search by travel reach)
    skill_arrays: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}
    for code, (rows, levels, exps) in skill_rows.items():
        r = np.array(rows, dtype=np.int64)
        order = np.argsort(lat[r], kind="stable")
        r = r[order]
        skill_arrays[code] = (
            r,
            np.array(levels, dtype=np.int64)[order],
            np.array(exps)[order],
            lat[r],
        )
    max_reach_deg = (float(travel.max()) if n else 0.0) / KM_PER_DEG_LAT + 1e-6

    shifts = instance["shifts"]
    shift_ids = [s["id"] for s in shifts]
    s_start = np.array([epoch(s["start"]) for s in shifts])
    s_end = np.array([epoch(s["end"]) for s in shifts])
    s_event = [s.get("event") for s in shifts]
    s_urgent = np.array([s.get("urgent") is True for s in shifts], dtype=bool)
    s_weeks = [week_hours(float(a), float(b), tz) for a, b in zip(s_start, s_end, strict=True)]

    # weekly hours already booked, for volunteers with bookings
    week_budget: dict[tuple[int, tuple[int, int]], float] = {}
    booked_hours: dict[int, dict[tuple[int, int], float]] = {}
    for i, (_, booked) in extras.items():
        per_week: dict[tuple[int, int], float] = defaultdict(float)
        for bs, be, _ev in booked:
            for w, h in week_hours(bs, be, tz).items():
                per_week[w] += h
        booked_hours[i] = per_week
        for w, h in per_week.items():
            week_budget[(i, w)] = float(max_hours[i]) - h

    needs: list[Need] = []
    e_need: list[np.ndarray] = []
    e_vol: list[np.ndarray] = []
    e_lender: list[np.ndarray] = []
    e_cost: list[np.ndarray] = []
    for si, s in enumerate(shifts):
        host = a_index[s["association"]]
        pieces = day_pieces(float(s_start[si]), float(s_end[si]), tz)
        pattern_ok = np.array(
            [
                all(
                    any(
                        a <= p.start_minute and p.end_minute <= b
                        for a, b in pat.get(p.day.isoweekday(), [])
                    )
                    for p in pieces
                )
                for pat in patterns
            ],
            dtype=bool,
        )
        year = local_year(float(s_start[si]), tz)
        max_week = max(s_weeks[si].values())
        for ni, need in enumerate(s["needs"]):
            penalty = weights["urgentUnfilled"] if s_urgent[si] else weights["unfilled"]
            need_id = len(needs)
            needs.append(Need(si, ni, int(need["count"]), penalty))
            min_level = int(need.get("minLevel", 1))
            vs, ls = [], []
            for code in served_by.get(need["skill"], frozenset({need["skill"]})):
                if code not in skill_arrays:
                    continue
                r, lv, ex, la = skill_arrays[code]
                lo, hi = np.searchsorted(la, [s["lat"] - max_reach_deg, s["lat"] + max_reach_deg])
                sel = slice(lo, hi)
                ok = (lv[sel] >= min_level) & (ex[sel] > s_end[si])
                vs.append(r[sel][ok])
                ls.append(lv[sel][ok])
            if not vs or sum(len(x) for x in vs) == 0 or need["count"] <= 0:
                continue
            v = np.concatenate(vs)
            lv = np.concatenate(ls)
            order = np.lexsort((lv, v))
            v, lv = v[order], lv[order]
            first = np.ones(len(v), dtype=bool)
            first[1:] = v[1:] != v[:-1]
            v, lv = v[first], lv[first]  # lowest qualifying level per volunteer
            keep = active[v] & pattern_ok[pattern_of[v]] & (max_hours[v] >= max_week - 1e-9)
            if need.get("gender") == "F":
                keep &= female[v]
            elif need.get("gender") == "M":
                keep &= male[v]
            if need.get("minAge") is not None:
                keep &= (year - birth[v]) >= int(need["minAge"])
            v, lv = v[keep], lv[keep]
            d = haversine(lat[v], lon[v], float(s["lat"]), float(s["lon"]))
            keep = d <= travel[v]  # exact: a peer never assigns past maxTravelKm
            own = member[v, host]
            lend_opts = member[v] & lends_to[:, host][None, :]
            can_borrow = lend_opts.any(axis=1)
            keep &= own | can_borrow
            v, lv, d, own, lend_opts = v[keep], lv[keep], d[keep], own[keep], lend_opts[keep]
            if len(v) == 0:
                continue
            # static checks against blackouts, bookings and booked weekly hours
            fine = np.ones(len(v), dtype=bool)
            for k, vol in enumerate(v.tolist()):
                extra = extras.get(vol)
                if extra is None:
                    continue
                blackouts, booked = extra
                if any(
                    bs < s_end[si] and s_start[si] < be for bs, be in blackouts
                ) or booking_conflict(
                    float(s_start[si]), float(s_end[si]), s_event[si], booked, rest_s
                ):
                    fine[k] = False
                    continue
                per_week = booked_hours.get(vol, {})
                if any(
                    h > max_hours[vol] - per_week.get(w, 0.0) + 1e-9 for w, h in s_weeks[si].items()
                ):
                    fine[k] = False
            v, lv, d, own, lend_opts = v[fine], lv[fine], d[fine], own[fine], lend_opts[fine]
            # one edge per way to fill the need: a member as itself, a borrowed volunteer once
            # per association that may lend it here (which lender counts is the solver's choice)
            row, by = np.nonzero(lend_opts & ~own[:, None])
            pick = np.concatenate([np.flatnonzero(own), row])
            lender = np.concatenate([np.full(int(own.sum()), -1, dtype=np.int64), by])
            v, lv, d, own = v[pick], lv[pick], d[pick], own[pick]
            cost = (
                weights["distanceKm"] * d
                + weights["overLevel"] * (lv - min_level)
                + weights["hoursThisMonth"] * hmonth[v] / 10.0
                + weights["unreliability"] * (1.0 - reliab[v])
                + weights["exchange"] * (~own)
            )
            order = np.argsort(cost, kind="stable")
            e_need.append(np.full(len(v), need_id, dtype=np.int64))
            e_vol.append(v[order])
            e_lender.append(lender[order].astype(np.int64))
            e_cost.append(cost[order])
    # lender quotas: floor(maxShare x active members), exact
    active_members = member[active].sum(axis=0)
    quota = {
        i: math.floor(exact_share(a.get("maxShare", 0), "maxShare") * int(active_members[i]))
        for i, a in enumerate(assocs)
        if a.get("lends")
    }
    model = PeerModel(
        tz=tz,
        rest_s=rest_s,
        vol_ids=vol_ids,
        shift_ids=shift_ids,
        assoc_ids=assoc_ids,
        shift_start=s_start,
        shift_end=s_end,
        shift_event=s_event,
        shift_urgent=s_urgent,
        shift_weeks=s_weeks,
        needs=needs,
        e_need=cat(e_need, np.int64),
        e_vol=cat(e_vol, np.int64),
        e_lender=cat(e_lender, np.int64),
        e_cost=cat(e_cost, float),
        quota=quota,
        week_budget=week_budget,
        max_hours=max_hours,
    )
    model.seconds_build = time.perf_counter() - began
    return model


def cat(parts: list[np.ndarray], dtype: Any) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)


def to_result(
    model: PeerModel,
    chosen: list[int],
    solver: str,
    seconds: float,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A "tahaluf-result/1" dict from chosen edge indices."""
    filled: dict[int, int] = defaultdict(int)
    assignments = []
    for e in sorted(chosen):
        need = model.needs[int(model.e_need[e])]
        filled[int(model.e_need[e])] += 1
        lender = int(model.e_lender[e])
        assignments.append(
            {
                "shift": model.shift_ids[need.shift],
                "need": need.index,
                "volunteer": model.vol_ids[int(model.e_vol[e])],
                "lender": None if lender < 0 else model.assoc_ids[lender],
                "cost": round(float(model.e_cost[e]), 6),
            }
        )
    has_edges = set(np.unique(model.e_need).tolist())
    unfilled = []
    for k, need in enumerate(model.needs):
        left = need.count - filled.get(k, 0)
        if left > 0:
            unfilled.append(
                {
                    "shift": model.shift_ids[need.shift],
                    "need": need.index,
                    "count": left,
                    "reason": "OUTCOMPETED" if k in has_edges else "NO_SKILL_IN_REACH",
                }
            )
    stats = {"seconds": round(seconds, 3), "solver": solver}
    stats.update(extra or {})
    return {
        "format": "tahaluf-result/1",
        "assignments": assignments,
        "unfilled": unfilled,
        "stats": stats,
    }
