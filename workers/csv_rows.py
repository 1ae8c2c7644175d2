"""Reading a volunteers CSV: every row either becomes a clean record or an error naming its line.

Columns (header row required; names are case-insensitive, snake_case or camelCase):
  nationalId, name, phone, governorate       required
  skills        optional, "first_aid:3;nurse:2"  (skill code : level 1-5)
  availability  optional, "5@08:00-20:00;6@09:00-17:00"  (ISO weekday @ HH:MM-HH:MM, Cairo time)
  maxTravelKm, maxHoursWeek  optional numbers
Rows repeating a national ID already seen in the file are reported, not imported twice.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from engine.reference.governorates import GOVERNORATE_BY_CODE
from graph.arabic_normalize import normalize_arabic
from graph.national_id import InvalidNationalId, hash_national_id, parse_national_id

REQUIRED = ("nationalid", "name", "phone", "governorate")
OPTIONAL = ("skills", "availability", "maxtravelkm", "maxhoursweek")
DEFAULT_MAX_TRAVEL_KM = 30.0
DEFAULT_MAX_HOURS_WEEK = 20.0
MAX_ROWS = 300_000
_PHONE = re.compile(r"^01[0125]\d{8}$")
_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "field": self.field, "reason": self.reason}


@dataclass(frozen=True)
class VolunteerRow:
    line: int
    national_id_hash: str
    name: str
    name_norm: str
    phone: str
    gender: str
    birth_year: int
    birth_governorate: str
    governorate: str
    lat: float
    lon: float
    skills: list[dict[str, Any]] = field(default_factory=list)
    availability: list[dict[str, Any]] = field(default_factory=list)
    max_travel_km: float = DEFAULT_MAX_TRAVEL_KM
    max_hours_week: float = DEFAULT_MAX_HOURS_WEEK

    def as_params(self) -> dict[str, Any]:
        return {
            "line": self.line, "hash": self.national_id_hash, "name": self.name,
            "nameNorm": self.name_norm, "phone": self.phone, "gender": self.gender,
            "birthYear": self.birth_year, "birthGovernorate": self.birth_governorate,
            "governorate": self.governorate, "lat": self.lat, "lon": self.lon,
            "skills": self.skills, "availability": json.dumps(self.availability),
            "maxTravelKm": self.max_travel_km, "maxHoursWeek": self.max_hours_week,
            "id": "vol-" + uuid5(NAMESPACE_URL, "tahaluf/volunteer/" + self.national_id_hash).hex,
        }


class BadCsv(ValueError):
    """The file as a whole is unusable (no header, missing columns, too many rows)."""


def _key(name: str) -> str:
    return name.strip().lower().replace("_", "").replace(" ", "")


def clean_phone(raw: str) -> str:
    digits = re.sub(r"[\s\-()]", "", raw)
    if digits.startswith("+20"):
        digits = "0" + digits[3:]
    elif digits.startswith("0020"):
        digits = "0" + digits[4:]
    return digits


def _skills(raw: str, known: frozenset[str]) -> list[dict[str, Any]]:
    out: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in raw.split(";"))):
        code, _, level = part.partition(":")
        code = code.strip()
        if code not in known:
            raise ValueError(f"unknown skill {code!r}")
        try:
            lvl = int(level.strip() or "1")
        except ValueError:
            raise ValueError(f"level of {code!r} must be a whole number 1-5") from None
        if not 1 <= lvl <= 5:
            raise ValueError(f"level of {code!r} must be 1-5")
        out[code] = max(lvl, out.get(code, 0))
    return [{"code": c, "level": lvl} for c, lvl in sorted(out.items())]


def _availability(raw: str) -> list[dict[str, Any]]:
    windows: list[dict[str, Any]] = []
    for part in filter(None, (p.strip() for p in raw.split(";"))):
        day, _, span = part.partition("@")
        start, _, end = span.partition("-")
        if not day.strip().isdigit() or not 1 <= int(day) <= 7:
            raise ValueError(f"{part!r}: weekday must be 1 (Monday) to 7 (Sunday)")
        if not _CLOCK.match(start.strip()) or not _CLOCK.match(end.strip()):
            raise ValueError(f"{part!r}: times must be HH:MM")
        windows.append({"weekday": int(day), "start": start.strip(), "end": end.strip()})
    return windows


def _number(raw: str, default: float, low: float, high: float) -> float:
    if not raw.strip():
        return default
    value = float(raw)
    if not low <= value <= high:
        raise ValueError(f"must be between {low:g} and {high:g}")
    return value


def parse_volunteers_csv(
    text: str, id_secret: str, skill_codes: frozenset[str]
) -> tuple[list[VolunteerRow], list[RowError]]:
    """Good rows and per-line errors. Line numbers are the file's (the header is line 1);
    `skill_codes` are the skills that exist (the graph's catalogue)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = next(reader)
    except StopIteration:
        raise BadCsv("the file is empty: expected a header row") from None
    columns = {_key(h): i for i, h in enumerate(header)}
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise BadCsv(f"missing column(s): {', '.join(missing)}")

    rows: list[VolunteerRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(rows) + len(errors) >= MAX_ROWS:
            raise BadCsv(f"more than {MAX_ROWS} rows: split the file")

        def cell(name: str, record: list[str] = record) -> str:
            i = columns.get(name)
            return record[i].strip() if i is not None and i < len(record) else ""

        try:
            nid = cell("nationalid")
            try:
                info = parse_national_id(nid)
            except InvalidNationalId as exc:
                raise _FieldError("nationalId", exc.reason) from None
            digest = hash_national_id(nid, id_secret)
            if digest in seen:
                raise _FieldError("nationalId", f"same national ID as line {seen[digest]}")
            name = cell("name")
            if not name:
                raise _FieldError("name", "is required")
            phone = clean_phone(cell("phone"))
            if not _PHONE.match(phone):
                raise _FieldError("phone", "must be an Egyptian mobile number (01xxxxxxxxx)")
            code = cell("governorate").zfill(2)
            gov = GOVERNORATE_BY_CODE.get(code)
            if gov is None:
                raise _FieldError("governorate", f"unknown governorate code {cell('governorate')!r}")
            try:
                skills = _skills(cell("skills"), skill_codes)
            except ValueError as exc:
                raise _FieldError("skills", str(exc)) from None
            try:
                availability = _availability(cell("availability"))
            except ValueError as exc:
                raise _FieldError("availability", str(exc)) from None
            try:
                travel = _number(cell("maxtravelkm"), DEFAULT_MAX_TRAVEL_KM, 0, 1000)
            except ValueError as exc:
                raise _FieldError("maxTravelKm", str(exc)) from None
            try:
                hours = _number(cell("maxhoursweek"), DEFAULT_MAX_HOURS_WEEK, 0, 168)
            except ValueError as exc:
                raise _FieldError("maxHoursWeek", str(exc)) from None
        except _FieldError as exc:
            errors.append(RowError(line, exc.field, exc.reason))
            continue
        seen[digest] = line
        rows.append(VolunteerRow(
            line=line, national_id_hash=digest, name=name, name_norm=normalize_arabic(name),
            phone=phone, gender=info.gender, birth_year=info.birth_year,
            birth_governorate=info.birth_governorate, governorate=gov.code, lat=gov.lat,
            lon=gov.lon, skills=skills, availability=availability, max_travel_km=travel,
            max_hours_week=hours,
        ))
    return rows, errors


class _FieldError(Exception):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason
