"""A full shape check of instance and result documents for the validator's command line.

`validate()` reads only what a result touches; before it, `tahaluf validate` runs these checks
over the whole files so that a malformed file (unknown skill, end before start, negative count,
dangling reference...) is reported as one clear error naming its JSON path.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.matching.validation_model import (
    ValidationInputError,
    exact_share,
    field_of,
    instant_of,
    list_of,
    number_of,
    read_instance,
    read_windows,
)


def text_of(record: Mapping[str, Any], key: str, path: str) -> str:
    value = field_of(record, key, path)
    if not isinstance(value, str) or not value:
        raise ValidationInputError(f"{path}.{key}", "must be a non-empty string")
    return value


def int_of(record: Mapping[str, Any], key: str, path: str, low: int, high: int | None) -> int:
    value = field_of(record, key, path)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationInputError(f"{path}.{key}", "must be an integer")
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f">= {low}"
        raise ValidationInputError(f"{path}.{key}", f"must be {bound}, got {value}")
    return value


def check_interval(record: Mapping[str, Any], path: str) -> None:
    if instant_of(record, "end", path) <= instant_of(record, "start", path):
        raise ValidationInputError(f"{path}.end", "must be after start")


def check_gender(value: Any, path: str, optional: bool) -> None:
    if value is None and optional:
        return
    if value not in ("F", "M"):
        raise ValidationInputError(path, 'must be "F" or "M"' + (" or null" if optional else ""))


def unique(ids: list[str], what: str, path: str) -> set[str]:
    seen: set[str] = set()
    for i, item in enumerate(ids):
        if item in seen:
            raise ValidationInputError(f"{path}[{i}].id", f"duplicate {what} {item!r}")
        seen.add(item)
    return seen


def check_instance(instance: Any) -> None:
    """Raise ValidationInputError on the first field of `instance` not shaped as INSTANCE.md says."""
    if not isinstance(instance, Mapping):
        raise ValidationInputError("$", "instance must be a JSON object")
    if instance.get("format") != "tahaluf-instance/1":
        raise ValidationInputError("format", "must be 'tahaluf-instance/1'")
    read_instance(instance)  # rules, weights, timezone, shares, shift needs and instants
    skills = list_of(instance, "skills", "$")
    codes = unique(
        [text_of(s, "code", f"skills[{i}]") for i, s in enumerate(skills)], "skill", "skills"
    )
    for i, s in enumerate(skills):
        for k, target in enumerate(list_of(s, "implies", f"skills[{i}]", default=[])):
            if target not in codes:
                raise ValidationInputError(f"skills[{i}].implies[{k}]", f"unknown skill {target!r}")
    associations = list_of(instance, "associations", "$")
    assoc_ids = unique(
        [text_of(a, "id", f"associations[{i}]") for i, a in enumerate(associations)],
        "association",
        "associations",
    )
    for i, a in enumerate(associations):
        exact_share(a.get("maxShare", 0), f"associations[{i}].maxShare")
        for k, b in enumerate(a.get("borrowers") or []):
            if b not in assoc_ids:
                raise ValidationInputError(
                    f"associations[{i}].borrowers[{k}]", f"unknown association {b!r}"
                )
    volunteers = list_of(instance, "volunteers", "$")
    unique(
        [text_of(v, "id", f"volunteers[{i}]") for i, v in enumerate(volunteers)],
        "volunteer",
        "volunteers",
    )
    seen_windows: set[tuple[Any, ...]] = set()  # availability lists already checked
    for i, v in enumerate(volunteers):
        check_volunteer(v, f"volunteers[{i}]", codes, assoc_ids, seen_windows)
    shifts = list_of(instance, "shifts", "$")
    unique([text_of(s, "id", f"shifts[{i}]") for i, s in enumerate(shifts)], "shift", "shifts")
    for i, s in enumerate(shifts):
        check_shift(s, f"shifts[{i}]", codes, assoc_ids)


def check_volunteer(
    v: Mapping[str, Any],
    path: str,
    codes: set[str],
    assoc_ids: set[str],
    seen_windows: set[tuple[Any, ...]],
) -> None:
    for k, a in enumerate(list_of(v, "associations", path)):
        if a not in assoc_ids:
            raise ValidationInputError(f"{path}.associations[{k}]", f"unknown association {a!r}")
    for key in ("lat", "lon", "maxTravelKm", "maxHoursWeek", "reliability", "hoursThisMonth"):
        if number_of(v, key, path) < 0 and key not in ("lat", "lon"):
            raise ValidationInputError(f"{path}.{key}", "must be >= 0")
    int_of(v, "birthYear", path, 1900, None)
    check_gender(v.get("gender"), f"{path}.gender", optional=True)
    for k, s in enumerate(list_of(v, "skills", path, default=[])):
        where = f"{path}.skills[{k}]"
        if text_of(s, "code", where) not in codes:
            raise ValidationInputError(f"{where}.code", f"unknown skill {s['code']!r}")
        int_of(s, "level", where, 1, 5)
        if s.get("expiresAt") is not None:
            instant_of(s, "expiresAt", where)
    windows = list_of(v, "availability", path, default=[])
    try:
        window_key: tuple[Any, ...] | None = tuple(
            (type(w["weekday"]), w["weekday"], w["start"], w["end"]) for w in windows
        )
    except (TypeError, KeyError):
        window_key = None  # malformed: let read_windows name the field
    if window_key is None or window_key not in seen_windows:
        read_windows(windows, f"{path}.availability")
        if window_key is not None:
            seen_windows.add(window_key)
    for key in ("blackouts", "booked"):
        for k, b in enumerate(list_of(v, key, path, default=[])):
            check_interval(b, f"{path}.{key}[{k}]")


def check_shift(s: Mapping[str, Any], path: str, codes: set[str], assoc_ids: set[str]) -> None:
    if text_of(s, "association", path) not in assoc_ids:
        raise ValidationInputError(
            f"{path}.association", f"unknown association {s['association']!r}"
        )
    check_interval(s, path)
    for k, n in enumerate(list_of(s, "needs", path)):
        where = f"{path}.needs[{k}]"
        if text_of(n, "skill", where) not in codes:
            raise ValidationInputError(f"{where}.skill", f"unknown skill {n['skill']!r}")
        int_of(n, "count", where, 0, None)
        if "minLevel" in n:
            int_of(n, "minLevel", where, 0, 5)
        if n.get("minAge") is not None:
            int_of(n, "minAge", where, 0, None)
        check_gender(n.get("gender"), f"{where}.gender", optional=True)


def check_result(result: Any) -> None:
    """Raise ValidationInputError when `result` is not a "tahaluf-result/1" document."""
    if not isinstance(result, Mapping):
        raise ValidationInputError("$", "result must be a JSON object")
    if result.get("format") != "tahaluf-result/1":
        raise ValidationInputError("format", "must be 'tahaluf-result/1'")
    for i, a in enumerate(list_of(result, "assignments", "$")):
        where = f"assignments[{i}]"
        text_of(a, "shift", where)
        text_of(a, "volunteer", where)
        need = field_of(a, "need", where)
        if isinstance(need, bool) or not isinstance(need, int):
            raise ValidationInputError(f"{where}.need", "must be an integer index")
        lender = a.get("lender")
        if lender is not None and (not isinstance(lender, str) or not lender):
            raise ValidationInputError(f"{where}.lender", "must be an association id or null")
    list_of(result, "unfilled", "$", default=[])
