"""Read an INSTANCE.md ("tahaluf-instance/1") mapping into the in-memory ``Problem``.

Every bad input raises ``InstanceError(path, message)`` where ``path`` names the field, e.g.
``"shifts[3].needs[0].count"``. Nothing here solves anything; it checks and converts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from engine.matching.errors import InstanceError
from engine.scheduling.availability_pairs import day_table
from engine.scheduling.epoch_views import day_pieces, local_year, week_seconds
from engine.types import (
    GENDER_CODES,
    NO_AGE,
    NO_EVENT,
    NO_GENDER,
    Associations,
    Needs,
    Problem,
    Rules,
    Shifts,
    Skills,
    Volunteers,
    Weights,
)

FORMAT = "tahaluf-instance/1"
WEIGHT_KEYS: tuple[tuple[str, str], ...] = (
    ("distanceKm", "distance_km"),
    ("overLevel", "over_level"),
    ("hoursThisMonth", "hours_this_month"),
    ("unreliability", "unreliability"),
    ("exchange", "exchange"),
    ("unfilled", "unfilled"),
    ("urgentUnfilled", "urgent_unfilled"),
)


# ---------------------------------------------------------------- field readers
def _get(obj: Mapping[str, Any], key: str, path: str) -> Any:
    try:
        return obj[key]
    except KeyError:
        raise InstanceError(f"{path}.{key}" if path else key, "is required") from None


def _mapping(value: Any, path: str) -> Mapping[str, Any]:
    if type(value) is dict:
        return value
    if not isinstance(value, Mapping):
        raise InstanceError(path, f"must be an object, got {type(value).__name__}")
    return value


def _list(value: Any, path: str) -> Sequence[Any]:
    if type(value) is list:
        return value
    if not isinstance(value, list | tuple):
        raise InstanceError(path, f"must be a list, got {type(value).__name__}")
    return value


def _number(value: Any, path: str) -> float:
    if type(value) is float and math.isfinite(value):
        return value
    if type(value) is int:
        return float(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InstanceError(path, f"must be a number, got {type(value).__name__}")
    f = float(value)
    if not math.isfinite(f):
        raise InstanceError(path, "must be finite")
    return f


def _int(value: Any, path: str) -> int:
    if type(value) is int:
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            return int(value)
        raise InstanceError(path, f"must be an integer, got {type(value).__name__}")
    return value


def _bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise InstanceError(path, f"must be true or false, got {type(value).__name__}")
    return value


def _new_id(m: Mapping[str, Any], path: str, kind: str, seen: set[str], ids: list[str]) -> str:
    """Record the item's string `id` in `ids`; refused when an earlier item of the kind had it."""
    value = _str(_get(m, "id", path), f"{path}.id")
    if value in seen:
        raise InstanceError(f"{path}.id", f"duplicate {kind} {value!r}")
    seen.add(value)
    ids.append(value)
    return value


def _str(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value:
        raise InstanceError(path, "must be a non-empty string")
    return value


def _instant(value: Any, path: str) -> float:
    if not isinstance(value, str):
        raise InstanceError(path, "must be an ISO 8601 datetime string with offset")
    try:
        dt = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InstanceError(path, f"not an ISO 8601 datetime: {value!r}") from exc
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise InstanceError(path, "must carry a UTC offset")
    return dt.timestamp()


_CLOCKS: dict[tuple[str, bool], int] = {}


def _clock(value: Any, path: str, *, end: bool) -> int:
    known = _CLOCKS.get((value, end)) if type(value) is str else None
    if known is not None:
        return known
    if not isinstance(value, str) or len(value) != 5 or value[2] != ":":
        raise InstanceError(path, 'must be a clock time "HH:MM"')
    hh, mm = value[:2], value[3:]
    if not (hh.isascii() and hh.isdigit() and mm.isascii() and mm.isdigit()):
        raise InstanceError(path, 'must be a clock time "HH:MM"')
    minutes = int(hh) * 60 + int(mm)
    if int(mm) >= 60 or minutes > 1440 or (minutes == 1440 and not end):
        raise InstanceError(path, f"not a valid clock time: {value!r}")
    if len(_CLOCKS) < 4096:
        _CLOCKS[(value, end)] = minutes
    return minutes


def _gender(value: Any, path: str, *, optional: bool) -> int:
    if value is None and optional:
        return NO_GENDER
    if value not in GENDER_CODES:
        raise InstanceError(path, 'must be "F" or "M"' + (" or null" if optional else ""))
    return GENDER_CODES.index(value)


def _interval(item: Any, path: str) -> tuple[float, float]:
    m = _mapping(item, path)
    start = _instant(_get(m, "start", path), f"{path}.start")
    end = _instant(_get(m, "end", path), f"{path}.end")
    if end <= start:
        raise InstanceError(f"{path}.end", "must be after start")
    return start, end


_MISSING = object()


def _num_field(m: Mapping[str, Any], key: str, p: str) -> float:
    """Fast path for a required number field; the path is only built on error."""
    v = m.get(key, _MISSING)
    if type(v) is float and math.isfinite(v):
        return v
    if type(v) is int:
        return float(v)
    return _number(_get(m, key, p), f"{p}.{key}")


def _index_of(ids: Sequence[str]) -> dict[str, int]:
    return {k: i for i, k in enumerate(ids)}


# ---------------------------------------------------------------- sections
def _parse_rules(data: Mapping[str, Any]) -> tuple[Rules, ZoneInfo]:
    rules = _mapping(_get(data, "rules", ""), "rules")
    rest = _number(_get(rules, "minRestHours", "rules"), "rules.minRestHours")
    if rest < 0:
        raise InstanceError("rules.minRestHours", "must be >= 0")
    tz = _str(_get(rules, "timezone", "rules"), "rules.timezone")
    try:
        zone = ZoneInfo(tz)
    except (ValueError, KeyError) as exc:
        raise InstanceError("rules.timezone", f"unknown time zone {tz!r}") from exc
    return Rules(min_rest_hours=rest, timezone=tz), zone


def _parse_weights(data: Mapping[str, Any]) -> Weights:
    w = _mapping(_get(data, "weights", ""), "weights")
    values = {}
    for key, attr in WEIGHT_KEYS:
        v = _number(_get(w, key, "weights"), f"weights.{key}")
        if v < 0:
            raise InstanceError(f"weights.{key}", "must be >= 0")
        values[attr] = v
    return Weights(**values)


def _parse_skills(data: Mapping[str, Any]) -> tuple[Skills, dict[str, int]]:
    items = _list(_get(data, "skills", ""), "skills")
    codes: list[str] = []
    for i, item in enumerate(items):
        m = _mapping(item, f"skills[{i}]")
        code = _str(_get(m, "code", f"skills[{i}]"), f"skills[{i}].code")
        if code in codes:
            raise InstanceError(f"skills[{i}].code", f"duplicate skill {code!r}")
        codes.append(code)
    index = _index_of(codes)
    implies: list[list[int]] = []
    for i, item in enumerate(items):
        lst = _list(item.get("implies", []) or [], f"skills[{i}].implies")
        row = []
        for k, c in enumerate(lst):
            if c not in index:
                raise InstanceError(f"skills[{i}].implies[{k}]", f"unknown skill {c!r}")
            row.append(index[c])
        implies.append(row)
    # qualifiers[s] = every skill whose holder may serve s (itself + transitive implication).
    n = len(codes)
    serves: list[set[int]] = []
    for s in range(n):
        seen = {s}
        stack = [s]
        while stack:
            for t in implies[stack.pop()]:
                if t not in seen:
                    seen.add(t)
                    stack.append(t)
        serves.append(seen)
    qualifiers: list[list[int]] = [[] for _ in range(n)]
    for h in range(n):
        for s in sorted(serves[h]):
            qualifiers[s].append(h)
    ptr = np.zeros(n + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(q) for q in qualifiers])
    flat = np.array([h for q in qualifiers for h in q], dtype=np.int64)
    return Skills(codes=tuple(codes), qualifier_ptr=ptr, qualifiers=flat), index


def _parse_associations(
    data: Mapping[str, Any],
) -> tuple[list[str], list[bool], list[Fraction], list[bool], list[list[str] | None]]:
    items = _list(_get(data, "associations", ""), "associations")
    ids: list[str] = []
    lends: list[bool] = []
    shares: list[Fraction] = []
    approval: list[bool] = []
    borrowers: list[list[str] | None] = []
    for i, item in enumerate(items):
        p = f"associations[{i}]"
        m = _mapping(item, p)
        aid = _str(_get(m, "id", p), f"{p}.id")
        if aid in ids:
            raise InstanceError(f"{p}.id", f"duplicate association {aid!r}")
        ids.append(aid)
        lends.append(_bool(_get(m, "lends", p), f"{p}.lends"))
        share = _number(_get(m, "maxShare", p), f"{p}.maxShare")
        if not 0.0 <= share <= 1.0:
            raise InstanceError(f"{p}.maxShare", "must be within 0..1")
        # repr() is the shortest decimal that reads back as the float: 0.2 -> 1/5 exactly.
        shares.append(Fraction(repr(share)) if isinstance(share, float) else Fraction(share))
        approval.append(_bool(m.get("requiresApproval", False), f"{p}.requiresApproval"))
        b = m.get("borrowers")
        if b is None:
            borrowers.append(None)
        else:
            lst = _list(b, f"{p}.borrowers")
            borrowers.append([_str(x, f"{p}.borrowers[{k}]") for k, x in enumerate(lst)])
    known = set(ids)
    for i, b in enumerate(borrowers):
        for k, x in enumerate(b or []):
            if x not in known:
                raise InstanceError(f"associations[{i}].borrowers[{k}]", f"unknown association {x!r}")
    return ids, lends, shares, approval, borrowers


def _parse_shifts(
    data: Mapping[str, Any],
    zone: ZoneInfo,
    skill_index: Mapping[str, int],
    assoc_index: Mapping[str, int],
    events: dict[str, int],
) -> tuple[Shifts, Needs, dict[int, int]]:
    items = _list(_get(data, "shifts", ""), "shifts")
    n = len(items)
    ids: list[str] = []
    seen: set[str] = set()
    event = np.empty(n, dtype=np.int64)
    assoc = np.empty(n, dtype=np.int64)
    lat = np.empty(n)
    lon = np.empty(n)
    start = np.empty(n)
    end = np.empty(n)
    urgent = np.zeros(n, dtype=bool)
    year = np.empty(n, dtype=np.int64)
    piece_ptr = [0]
    pieces: list[tuple[int, int, int]] = []
    week_rows: list[list[tuple[int, float]]] = []
    weeks: dict[int, int] = {}
    need_rows: list[tuple[int, int, int, int, int, int, int]] = []
    for i, item in enumerate(items):
        p = f"shifts[{i}]"
        m = _mapping(item, p)
        _new_id(m, p, "shift", seen, ids)
        ev = _str(_get(m, "event", p), f"{p}.event")
        event[i] = events.setdefault(ev, len(events))
        a = _get(m, "association", p)
        if a not in assoc_index:
            raise InstanceError(f"{p}.association", f"unknown association {a!r}")
        assoc[i] = assoc_index[a]
        lat[i] = _num_field(m, "lat", p)
        lon[i] = _num_field(m, "lon", p)
        if not -90 <= lat[i] <= 90:
            raise InstanceError(f"{p}.lat", "must be within -90..90")
        if not -180 <= lon[i] <= 180:
            raise InstanceError(f"{p}.lon", "must be within -180..180")
        s, e = _interval(m, p)
        start[i] = s
        end[i] = e
        urgent[i] = _bool(m.get("urgent", False), f"{p}.urgent")
        year[i] = local_year(s, zone)
        pcs = day_pieces(s, e, zone)
        pieces.extend(pcs)
        piece_ptr.append(len(pieces))
        wk = week_seconds(s, e, zone)
        for key, _sec in wk:
            weeks.setdefault(key, len(weeks))
        week_rows.append(wk)
        for k, nd in enumerate(_list(_get(m, "needs", p), f"{p}.needs")):
            q = f"{p}.needs[{k}]"
            nm = _mapping(nd, q)
            sk = _get(nm, "skill", q)
            if sk not in skill_index:
                raise InstanceError(f"{q}.skill", f"unknown skill {sk!r}")
            count = _int(_get(nm, "count", q), f"{q}.count")
            if count < 0:
                raise InstanceError(f"{q}.count", "must be >= 0")
            level = _int(nm.get("minLevel", 1), f"{q}.minLevel")
            if not 0 <= level <= 5:
                raise InstanceError(f"{q}.minLevel", "must be within 0..5")
            gender = _gender(nm.get("gender"), f"{q}.gender", optional=True)
            age_raw = nm.get("minAge")
            age = NO_AGE if age_raw is None else _int(age_raw, f"{q}.minAge")
            if age_raw is not None and age < 0:
                raise InstanceError(f"{q}.minAge", "must be >= 0")
            need_rows.append((i, k, skill_index[sk], count, level, gender, age))
    nw = len(weeks)
    week_hours = np.zeros((n, nw))
    for i, wk in enumerate(week_rows):
        for key, sec in wk:
            week_hours[i, weeks[key]] += sec / 3600.0
    pa = np.array(pieces, dtype=np.int64).reshape(-1, 3)
    shifts = Shifts(
        ids=tuple(ids),
        event=event,
        association=assoc,
        lat=lat,
        lon=lon,
        start=start,
        end=end,
        urgent=urgent,
        local_year=year,
        piece_ptr=np.array(piece_ptr, dtype=np.int64),
        piece_weekday=pa[:, 0].copy(),
        piece_start=pa[:, 1].copy(),
        piece_end=pa[:, 2].copy(),
        week_hours=week_hours,
    )
    na = np.array(need_rows, dtype=np.int64).reshape(-1, 7)
    counts = na[:, 3].copy()
    slot_ptr = np.zeros(len(counts) + 1, dtype=np.int64)
    slot_ptr[1:] = np.cumsum(counts)
    needs = Needs(
        shift=na[:, 0].copy(),
        index=na[:, 1].copy(),
        skill=na[:, 2].copy(),
        count=counts,
        min_level=na[:, 4].copy(),
        gender=na[:, 5].copy(),
        min_age=na[:, 6].copy(),
        slot_ptr=slot_ptr,
    )
    return shifts, needs, weeks


def _csr(rows: list[int], n: int) -> np.ndarray:
    """Pointer array for a CSR whose row of every entry is listed (rows non-decreasing)."""
    counts = np.bincount(np.asarray(rows, dtype=np.int64), minlength=n)
    ptr = np.zeros(n + 1, dtype=np.int64)
    ptr[1:] = np.cumsum(counts)
    return ptr


def _parse_volunteers(
    data: Mapping[str, Any],
    zone: ZoneInfo,
    skill_index: Mapping[str, int],
    assoc_index: Mapping[str, int],
    events: dict[str, int],
    weeks: Mapping[int, int],
) -> Volunteers:
    items = _list(_get(data, "volunteers", ""), "volunteers")
    n = len(items)
    na = len(assoc_index)
    ids: list[str] = []
    seen: set[str] = set()
    lat = [0.0] * n
    lon = [0.0] * n
    gender = [0] * n
    birth = [0] * n
    travel = [0.0] * n
    hours_week = [0.0] * n
    rel = [0.0] * n
    htm = [0.0] * n
    active = [False] * n
    member = np.zeros((n, na), dtype=bool)
    sk_rows: list[int] = []
    sk_code: list[int] = []
    sk_level: list[int] = []
    sk_exp: list[float] = []
    win: list[tuple[int, int, int, int]] = []  # (volunteer, weekday, start, end) as written
    bo_rows: list[int] = []
    bo: list[tuple[float, float]] = []
    bk_rows: list[int] = []
    bk: list[tuple[float, float, int]] = []
    booked_week = np.zeros((n, len(weeks)))
    inf = math.inf
    for i, item in enumerate(items):
        p = f"volunteers[{i}]"
        m = _mapping(item, p)
        _new_id(m, p, "volunteer", seen, ids)
        for k, a in enumerate(_list(_get(m, "associations", p), f"{p}.associations")):
            if a not in assoc_index:
                raise InstanceError(f"{p}.associations[{k}]", f"unknown association {a!r}")
            member[i, assoc_index[a]] = True
        lat[i] = _num_field(m, "lat", p)
        lon[i] = _num_field(m, "lon", p)
        if not -90 <= lat[i] <= 90:
            raise InstanceError(f"{p}.lat", "must be within -90..90")
        if not -180 <= lon[i] <= 180:
            raise InstanceError(f"{p}.lon", "must be within -180..180")
        gender[i] = _gender(_get(m, "gender", p), f"{p}.gender", optional=False)
        birth[i] = _int(_get(m, "birthYear", p), f"{p}.birthYear")
        travel[i] = _num_field(m, "maxTravelKm", p)
        if travel[i] < 0:
            raise InstanceError(f"{p}.maxTravelKm", "must be >= 0")
        hours_week[i] = _num_field(m, "maxHoursWeek", p)
        if hours_week[i] < 0:
            raise InstanceError(f"{p}.maxHoursWeek", "must be >= 0")
        rel[i] = _num_field(m, "reliability", p)
        if not 0.0 <= rel[i] <= 1.0:
            raise InstanceError(f"{p}.reliability", "must be within 0..1")
        htm[i] = _num_field(m, "hoursThisMonth", p)
        if htm[i] < 0:
            raise InstanceError(f"{p}.hoursThisMonth", "must be >= 0")
        active[i] = _bool(_get(m, "active", p), f"{p}.active")
        for k, sk in enumerate(_list(_get(m, "skills", p), f"{p}.skills")):
            q = f"{p}.skills[{k}]"
            sm = _mapping(sk, q)
            code = _get(sm, "code", q)
            if code not in skill_index:
                raise InstanceError(f"{q}.code", f"unknown skill {code!r}")
            level = _int(_get(sm, "level", q), f"{q}.level")
            if not 1 <= level <= 5:
                raise InstanceError(f"{q}.level", "must be within 1..5")
            exp = sm.get("expiresAt")
            sk_rows.append(i)
            sk_code.append(skill_index[code])
            sk_level.append(level)
            sk_exp.append(inf if exp is None else _instant(exp, f"{q}.expiresAt"))
        for k, w in enumerate(_list(m.get("availability", []), f"{p}.availability")):
            q = f"{p}.availability[{k}]"
            wm = _mapping(w, q)
            wd = _int(_get(wm, "weekday", q), f"{q}.weekday")
            if not 1 <= wd <= 7:
                raise InstanceError(f"{q}.weekday", "must be 1..7 (ISO, 1 = Monday)")
            ws = _clock(_get(wm, "start", q), f"{q}.start", end=False)
            we = _clock(_get(wm, "end", q), f"{q}.end", end=True)
            win.append((i, wd, ws, we))
        for k, b in enumerate(_list(m.get("blackouts", []), f"{p}.blackouts")):
            bs, be = _interval(b, f"{p}.blackouts[{k}]")
            bo_rows.append(i)
            bo.append((bs, be))
        for k, b in enumerate(_list(m.get("booked", []), f"{p}.booked")):
            q = f"{p}.booked[{k}]"
            bs, be = _interval(b, q)
            ev_raw = b.get("event")
            ev = NO_EVENT if ev_raw is None else events.setdefault(_str(ev_raw, f"{q}.event"), len(events))
            bk_rows.append(i)
            bk.append((bs, be, ev))
            for key, sec in week_seconds(bs, be, zone):
                col = weeks.get(key)
                if col is not None:
                    booked_week[i, col] += sec / 3600.0
    wa = np.array(win, dtype=np.int64).reshape(-1, 4)
    window_ptr, window_start, window_end = day_table(wa[:, 0], wa[:, 1], wa[:, 2], wa[:, 3], n)
    boa = np.array(bo, dtype=np.float64).reshape(-1, 2)
    bka = np.array(bk, dtype=np.float64).reshape(-1, 3)
    return Volunteers(
        ids=tuple(ids),
        lat=np.array(lat, dtype=np.float64),
        lon=np.array(lon, dtype=np.float64),
        gender=np.array(gender, dtype=np.int64),
        birth_year=np.array(birth, dtype=np.int64),
        max_travel_km=np.array(travel, dtype=np.float64),
        max_hours_week=np.array(hours_week, dtype=np.float64),
        reliability=np.array(rel, dtype=np.float64),
        hours_this_month=np.array(htm, dtype=np.float64),
        active=np.array(active, dtype=bool),
        member=member,
        serves=member,  # completed with lending once the policies are known
        skill_ptr=_csr(sk_rows, n),
        skill_code=np.array(sk_code, dtype=np.int64),
        skill_level=np.array(sk_level, dtype=np.int64),
        skill_expires=np.array(sk_exp, dtype=np.float64),
        window_ptr=window_ptr,
        window_start=window_start,
        window_end=window_end,
        blackout_ptr=_csr(bo_rows, n),
        blackout_start=boa[:, 0].copy(),
        blackout_end=boa[:, 1].copy(),
        booked_ptr=_csr(bk_rows, n),
        booked_start=bka[:, 0].copy(),
        booked_end=bka[:, 1].copy(),
        booked_event=bka[:, 2].astype(np.int64),
        booked_week_hours=booked_week,
    )


def _build_associations(
    ids: list[str],
    lends: list[bool],
    shares: list[Fraction],
    approval: list[bool],
    borrowers: list[list[str] | None],
    volunteers: Volunteers,
) -> Associations:
    n = len(ids)
    index = _index_of(ids)
    can_lend = np.zeros((n, n), dtype=bool)
    for lender in range(n):
        if not lends[lender]:
            continue
        b = borrowers[lender]
        if b is None:
            can_lend[lender, :] = True
        else:
            for x in b:
                can_lend[lender, index[x]] = True
        can_lend[lender, lender] = False
    active_members = volunteers.member[volunteers.active].sum(axis=0) if n else np.zeros(0)
    quota = np.array(
        [(shares[a] * int(active_members[a])).__floor__() for a in range(n)], dtype=np.int64
    )
    return Associations(
        ids=tuple(ids),
        lends=np.array(lends, dtype=bool),
        max_share=tuple(shares),
        requires_approval=np.array(approval, dtype=bool),
        can_lend=can_lend,
        quota=quota,
    )


def parse_instance(data: Mapping[str, Any]) -> Problem:
    """Check and convert an INSTANCE.md mapping into a ``Problem``.

    Raises ``InstanceError`` naming the offending field on any bad input: wrong format tag,
    missing fields, wrong types, unknown skills/associations, end not after start, negative
    counts, bad datetimes or clock times, weekday outside 1..7, duplicate ids.
    """
    data = _mapping(data, "instance")
    fmt = data.get("format")
    if fmt != FORMAT:
        raise InstanceError("format", f"must be {FORMAT!r}, got {fmt!r}")
    rules, zone = _parse_rules(data)
    weights = _parse_weights(data)
    skills, skill_index = _parse_skills(data)
    a_ids, lends, shares, approval, borrowers = _parse_associations(data)
    assoc_index = _index_of(a_ids)
    events: dict[str, int] = {}
    shifts, needs, weeks = _parse_shifts(data, zone, skill_index, assoc_index, events)
    volunteers = _parse_volunteers(data, zone, skill_index, assoc_index, events, weeks)
    associations = _build_associations(a_ids, lends, shares, approval, borrowers, volunteers)
    lendable = (volunteers.member.astype(np.int32) @ associations.can_lend.astype(np.int32)) > 0
    volunteers = replace(volunteers, serves=volunteers.member | lendable)
    return Problem(
        rules=rules,
        weights=weights,
        skills=skills,
        associations=associations,
        volunteers=volunteers,
        shifts=shifts,
        needs=needs,
        events=tuple(sorted(events, key=events.__getitem__)),
        weeks=tuple(sorted(weeks, key=weeks.__getitem__)),
    )
