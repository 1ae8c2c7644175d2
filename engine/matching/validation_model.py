"""The validator's own reading of an instance and a result (independent of the solver's parser).

Only the records a result touches are read in depth, so that validating the national instance
(250K volunteers) stays fast. Shape problems met on the way raise `ValidationInputError` naming
the JSON path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from engine.matching.validation_time import DayPiece, day_pieces, epoch, parse_clock

DEFAULT_WEIGHTS: dict[str, float] = {
    "distanceKm": 1.0,
    "overLevel": 5.0,
    "hoursThisMonth": 0.5,
    "unreliability": 20.0,
    "exchange": 15.0,
    "unfilled": 10000.0,
    "urgentUnfilled": 100000.0,
}


class ValidationInputError(ValueError):
    """The instance or result is not shaped as INSTANCE.md says; `.path` names the field."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def field_of(record: Mapping[str, Any], key: str, path: str) -> Any:
    if type(record) is not dict and not isinstance(record, Mapping):
        raise ValidationInputError(path, "must be an object")
    if key not in record:
        raise ValidationInputError(f"{path}.{key}", "is missing")
    return record[key]


def number_of(record: Mapping[str, Any], key: str, path: str) -> float:
    value = field_of(record, key, path)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationInputError(f"{path}.{key}", "must be a number")
    return float(value)


def instant_of(record: Mapping[str, Any], key: str, path: str) -> float:
    value = field_of(record, key, path)
    if not isinstance(value, str):
        raise ValidationInputError(f"{path}.{key}", "must be an ISO datetime string")
    try:
        return epoch(value)
    except ValueError as exc:
        raise ValidationInputError(
            f"{path}.{key}", f"not an ISO datetime with offset ({exc})"
        ) from None


def list_of(record: Mapping[str, Any], key: str, path: str, default: Any = None) -> Sequence[Any]:
    if default is not None and key not in record:
        return default  # type: ignore[no-any-return]
    value = field_of(record, key, path)
    if not isinstance(value, list):
        raise ValidationInputError(f"{path}.{key}", "must be a list")
    return value


@dataclass(frozen=True, slots=True)
class NeedView:
    skill: str
    count: int
    min_level: int
    gender: str | None
    min_age: int | None


@dataclass(slots=True)
class ShiftView:
    id: str
    event: str | None
    association: str
    lat: float
    lon: float
    start: float
    end: float
    urgent: bool
    needs: list[NeedView]
    _pieces: list[DayPiece] | None = None

    def pieces(self, tz: ZoneInfo) -> list[DayPiece]:
        if self._pieces is None:
            self._pieces = day_pieces(self.start, self.end, tz)
        return self._pieces


@dataclass(frozen=True, slots=True)
class HeldSkill:
    code: str
    level: int
    expires: float | None


@dataclass(frozen=True, slots=True)
class Interval:
    start: float
    end: float
    event: str | None
    shift: str | None  # None for an existing booking


@dataclass(slots=True)
class VolunteerView:
    id: str
    associations: tuple[str, ...]
    lat: float
    lon: float
    gender: str | None
    birth_year: int
    max_travel_km: float
    max_hours_week: float
    reliability: float
    hours_this_month: float
    active: bool
    skills: list[HeldSkill]
    windows: dict[int, list[tuple[int, int]]]  # ISO weekday -> [start, end) minutes
    blackouts: list[tuple[float, float]]
    booked: list[Interval]


@dataclass(frozen=True, slots=True)
class AssociationView:
    id: str
    lends: bool
    max_share: Fraction
    borrowers: frozenset[str] | None


@dataclass(frozen=True, slots=True)
class Placement:
    """One assignment line of the result, resolved against the instance where possible."""

    index: int
    volunteer_id: str
    shift_id: str
    need_index: int
    lender: str | None
    volunteer: VolunteerView | None
    shift: ShiftView | None
    need: NeedView | None


@dataclass
class InstanceView:
    timezone: ZoneInfo
    min_rest_hours: float
    weights: dict[str, float]
    implied_by: dict[str, frozenset[str]]  # skill -> every skill that serves it (incl. itself)
    associations: dict[str, AssociationView]
    raw_volunteers: dict[str, tuple[int, Mapping[str, Any]]]
    shifts: dict[str, ShiftView]
    active_members: dict[str, int]
    _volunteers: dict[str, VolunteerView] = field(default_factory=dict)

    def volunteer(self, volunteer_id: str) -> VolunteerView | None:
        cached = self._volunteers.get(volunteer_id)
        if cached is not None:
            return cached
        entry = self.raw_volunteers.get(volunteer_id)
        if entry is None:
            return None
        view = read_volunteer(entry[1], f"volunteers[{entry[0]}]")
        self._volunteers[volunteer_id] = view
        return view


def exact_share(value: Any, path: str) -> Fraction:
    """maxShare as an exact fraction of its decimal spelling (0.2 is 1/5, so 0.2 x 15 is 3)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValidationInputError(path, "must be a number")
    try:
        share = Fraction(str(value))
    except ValueError:
        raise ValidationInputError(path, "must be a number") from None
    if share < 0 or share > 1:
        raise ValidationInputError(path, "must be between 0 and 1")
    return share


def implication_closure(skills: Sequence[Any]) -> dict[str, frozenset[str]]:
    """For each skill code, the set of codes whose holder qualifies for it (itself included)."""
    implies: dict[str, list[str]] = {}
    for i, skill in enumerate(skills):
        code = field_of(skill, "code", f"skills[{i}]")
        if not isinstance(code, str):
            raise ValidationInputError(f"skills[{i}].code", "must be a string")
        targets = list_of(skill, "implies", f"skills[{i}]", default=[])
        implies[code] = [str(t) for t in targets]
    served_by: dict[str, set[str]] = {code: {code} for code in implies}
    for holder in implies:
        seen = {holder}
        stack = [holder]
        while stack:
            current = stack.pop()
            for target in implies.get(current, []):
                if target not in seen:
                    seen.add(target)
                    stack.append(target)
        for target in seen:
            served_by.setdefault(target, {target}).add(holder)
    return {code: frozenset(holders) for code, holders in served_by.items()}


def read_windows(raw: Sequence[Any], path: str) -> dict[int, list[tuple[int, int]]]:
    """Weekly windows as per-weekday minute intervals; an overnight window yields two parts."""
    windows: dict[int, list[tuple[int, int]]] = {}
    for i, window in enumerate(raw):
        where = f"{path}[{i}]"
        weekday = field_of(window, "weekday", where)
        if isinstance(weekday, bool) or not isinstance(weekday, int) or not 1 <= weekday <= 7:
            raise ValidationInputError(f"{where}.weekday", "must be an ISO weekday 1..7")
        try:
            start = parse_clock(str(field_of(window, "start", where)))
            end = parse_clock(str(field_of(window, "end", where)))
        except ValueError as exc:
            raise ValidationInputError(where, str(exc)) from None
        if start == 1440:
            raise ValidationInputError(f"{where}.start", "cannot be 24:00")
        if end > start:
            windows.setdefault(weekday, []).append((start, end))
        else:  # runs over midnight into the next weekday
            windows.setdefault(weekday, []).append((start, 1440))
            if end > 0:
                windows.setdefault(weekday % 7 + 1, []).append((0, end))
    return windows


def read_volunteer(raw: Mapping[str, Any], path: str) -> VolunteerView:
    associations = list_of(raw, "associations", path)
    skills: list[HeldSkill] = []
    for i, skill in enumerate(list_of(raw, "skills", path, default=[])):
        where = f"{path}.skills[{i}]"
        expires_raw = skill.get("expiresAt") if isinstance(skill, Mapping) else None
        skills.append(
            HeldSkill(
                code=str(field_of(skill, "code", where)),
                level=int(number_of(skill, "level", where)),
                expires=None if expires_raw is None else instant_of(skill, "expiresAt", where),
            )
        )
    blackouts = [
        (
            instant_of(b, "start", f"{path}.blackouts[{i}]"),
            instant_of(b, "end", f"{path}.blackouts[{i}]"),
        )
        for i, b in enumerate(list_of(raw, "blackouts", path, default=[]))
    ]
    booked: list[Interval] = []
    for i, b in enumerate(list_of(raw, "booked", path, default=[])):
        where = f"{path}.booked[{i}]"
        event = b.get("event") if isinstance(b, Mapping) else None
        booked.append(
            Interval(
                instant_of(b, "start", where),
                instant_of(b, "end", where),
                None if event is None else str(event),
                None,
            )
        )
    gender = raw.get("gender")
    return VolunteerView(
        id=str(field_of(raw, "id", path)),
        associations=tuple(str(a) for a in associations),
        lat=number_of(raw, "lat", path),
        lon=number_of(raw, "lon", path),
        gender=None if gender is None else str(gender),
        birth_year=int(number_of(raw, "birthYear", path)),
        max_travel_km=number_of(raw, "maxTravelKm", path),
        max_hours_week=number_of(raw, "maxHoursWeek", path),
        reliability=number_of(raw, "reliability", path),
        hours_this_month=number_of(raw, "hoursThisMonth", path),
        active=raw.get("active", True) is True,
        skills=skills,
        windows=read_windows(
            list_of(raw, "availability", path, default=[]), f"{path}.availability"
        ),
        blackouts=blackouts,
        booked=booked,
    )


def read_need(raw: Mapping[str, Any], path: str) -> NeedView:
    gender = raw.get("gender") if isinstance(raw, Mapping) else None
    min_age = raw.get("minAge") if isinstance(raw, Mapping) else None
    min_level = raw.get("minLevel", 1) if isinstance(raw, Mapping) else 1
    count = field_of(raw, "count", path)
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValidationInputError(f"{path}.count", "must be a non-negative integer")
    return NeedView(
        skill=str(field_of(raw, "skill", path)),
        count=count,
        min_level=int(min_level),
        gender=None if gender is None else str(gender),
        min_age=None if min_age is None else int(min_age),
    )


def read_shift(raw: Mapping[str, Any], path: str) -> ShiftView:
    event = raw.get("event") if isinstance(raw, Mapping) else None
    return ShiftView(
        id=str(field_of(raw, "id", path)),
        event=None if event is None else str(event),
        association=str(field_of(raw, "association", path)),
        lat=number_of(raw, "lat", path),
        lon=number_of(raw, "lon", path),
        start=instant_of(raw, "start", path),
        end=instant_of(raw, "end", path),
        urgent=raw.get("urgent", False) is True,
        needs=[
            read_need(n, f"{path}.needs[{i}]") for i, n in enumerate(list_of(raw, "needs", path))
        ],
    )


def read_instance(instance: Mapping[str, Any]) -> InstanceView:
    if not isinstance(instance, Mapping):
        raise ValidationInputError("$", "instance must be a JSON object")
    rules = instance.get("rules") or {}
    tz_name = (
        rules.get("timezone", "Africa/Cairo") if isinstance(rules, Mapping) else "Africa/Cairo"
    )
    try:
        timezone = ZoneInfo(str(tz_name))
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationInputError("rules.timezone", f"unknown time zone {tz_name!r}") from None
    min_rest = float(rules.get("minRestHours", 0)) if isinstance(rules, Mapping) else 0.0
    weights = dict(DEFAULT_WEIGHTS)
    raw_weights = instance.get("weights") or {}
    if not isinstance(raw_weights, Mapping):
        raise ValidationInputError("weights", "must be an object")
    for name, value in raw_weights.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValidationInputError(f"weights.{name}", "must be a number")
        weights[str(name)] = float(value)
    associations: dict[str, AssociationView] = {}
    for i, raw in enumerate(list_of(instance, "associations", "$")):
        where = f"associations[{i}]"
        borrowers = raw.get("borrowers") if isinstance(raw, Mapping) else None
        assoc_id = str(field_of(raw, "id", where))
        associations[assoc_id] = AssociationView(
            id=assoc_id,
            lends=raw.get("lends", False) is True,
            max_share=exact_share(raw.get("maxShare", 0), f"{where}.maxShare"),
            borrowers=None if borrowers is None else frozenset(str(b) for b in borrowers),
        )
    raw_volunteers: dict[str, tuple[int, Mapping[str, Any]]] = {}
    active_members: dict[str, int] = {}
    for i, raw in enumerate(list_of(instance, "volunteers", "$")):
        volunteer_id = str(field_of(raw, "id", f"volunteers[{i}]"))
        raw_volunteers[volunteer_id] = (i, raw)
        if raw.get("active", True) is True:
            for association in raw.get("associations") or ():
                active_members[association] = active_members.get(association, 0) + 1
    shifts: dict[str, ShiftView] = {}
    for i, raw in enumerate(list_of(instance, "shifts", "$")):
        shift = read_shift(raw, f"shifts[{i}]")
        shifts[shift.id] = shift
    return InstanceView(
        timezone=timezone,
        min_rest_hours=min_rest,
        weights=weights,
        implied_by=implication_closure(list_of(instance, "skills", "$")),
        associations=associations,
        raw_volunteers=raw_volunteers,
        shifts=shifts,
        active_members=active_members,
    )


def read_placements(result: Mapping[str, Any], view: InstanceView) -> list[Placement]:
    if not isinstance(result, Mapping):
        raise ValidationInputError("$", "result must be a JSON object")
    placements: list[Placement] = []
    for i, raw in enumerate(list_of(result, "assignments", "$")):
        where = f"assignments[{i}]"
        shift_id = str(field_of(raw, "shift", where))
        volunteer_id = str(field_of(raw, "volunteer", where))
        need_raw = field_of(raw, "need", where)
        if isinstance(need_raw, bool) or not isinstance(need_raw, int):
            raise ValidationInputError(f"{where}.need", "must be an integer index")
        lender = raw.get("lender")
        shift = view.shifts.get(shift_id)
        need = (
            shift.needs[need_raw]
            if shift is not None and 0 <= need_raw < len(shift.needs)
            else None
        )
        placements.append(
            Placement(
                index=i,
                volunteer_id=volunteer_id,
                shift_id=shift_id,
                need_index=need_raw,
                lender=None if lender is None else str(lender),
                volunteer=view.volunteer(volunteer_id),
                shift=shift,
                need=need,
            )
        )
    return placements
