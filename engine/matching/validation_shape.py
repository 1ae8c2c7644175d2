"""A full shape check of instance and result documents for the validator's command line.

`validate()` reads only what a result touches; before it, `tahaluf validate` runs these checks
over the whole files so that a malformed file (unknown skill, end before start, negative count,
dangling reference...) is reported as one clear error naming its JSON path.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.matching.validation_model import (
    DEFAULT_WEIGHTS,
    ValidationInputError,
    exact_share,
    field_of,
    instant_of,
    list_of,
    number_of,
    read_instance,
    read_windows,
)

#: INSTANCE.md's reasons for an unfilled slot (the list is not scored: its shape is checked)
REASONS = frozenset(
    {"NO_SKILL_IN_REACH", "ALL_CANDIDATES_BUSY", "LENDER_QUOTA", "NOT_AVAILABLE", "RULE", "OUTCOMPETED"}
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


def bool_of(record: Mapping[str, Any], key: str, path: str, required: bool) -> None:
    if not required and key not in record:
        return
    if not isinstance(field_of(record, key, path), bool):
        raise ValidationInputError(f"{path}.{key}", "must be true or false")


def check_point(record: Mapping[str, Any], path: str) -> None:
    """``lat`` in -90..90 and ``lon`` in -180..180."""
    for key, bound in (("lat", 90.0), ("lon", 180.0)):
        value = number_of(record, key, path)
        if not -bound <= value <= bound:
            raise ValidationInputError(f"{path}.{key}", f"must be between {-bound:g} and {bound:g}")


def check_rules_and_weights(instance: Mapping[str, Any]) -> None:
    """``rules`` (minRestHours >= 0, a timezone) and every weight of INSTANCE.md, a number >= 0:
    the validator never scores with values the file does not give."""
    rules = field_of(instance, "rules", "$")
    if not isinstance(rules, Mapping):
        raise ValidationInputError("rules", "must be an object")
    if number_of(rules, "minRestHours", "rules") < 0:
        raise ValidationInputError("rules.minRestHours", "must be >= 0")
    text_of(rules, "timezone", "rules")
    weights = field_of(instance, "weights", "$")
    if not isinstance(weights, Mapping):
        raise ValidationInputError("weights", "must be an object")
    for name in DEFAULT_WEIGHTS:
        if number_of(weights, name, "weights") < 0:
            raise ValidationInputError(f"weights.{name}", "must be >= 0")


def check_interval(record: Mapping[str, Any], path: str) -> None:
    if instant_of(record, "end", path) <= instant_of(record, "start", path):
        raise ValidationInputError(f"{path}.end", "must be after start")


def check_gender(value: Any, path: str, optional: bool) -> None:
    if value is None and optional:
        return
    if value not in ("F", "M"):
        raise ValidationInputError(path, 'must be "F" or "M"' + (" or null" if optional else ""))


def unique(ids: list[str], what: str, path: str, key: str = "id") -> set[str]:
    seen: set[str] = set()
    for i, item in enumerate(ids):
        if item in seen:
            raise ValidationInputError(f"{path}[{i}].{key}", f"duplicate {what} {item!r}")
        seen.add(item)
    return seen


def check_instance(instance: Any) -> None:
    """Raise ValidationInputError on the first field of `instance` not shaped as INSTANCE.md says."""
    if not isinstance(instance, Mapping):
        raise ValidationInputError("$", "instance must be a JSON object")
    if instance.get("format") != "tahaluf-instance/1":
        raise ValidationInputError("format", "must be 'tahaluf-instance/1'")
    check_rules_and_weights(instance)
    read_instance(instance)  # timezone, shares, shift needs and instants
    skills = list_of(instance, "skills", "$")
    codes = unique(
        [text_of(s, "code", f"skills[{i}]") for i, s in enumerate(skills)], "skill", "skills", "code"
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
        bool_of(a, "lends", f"associations[{i}]", required=True)
        bool_of(a, "requiresApproval", f"associations[{i}]", required=False)
        borrowers = a.get("borrowers")
        if borrowers is not None and not isinstance(borrowers, list):
            raise ValidationInputError(
                f"associations[{i}].borrowers", "must be a list of association ids or null"
            )
        for k, b in enumerate(borrowers or []):
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
    check_point(v, path)
    for key in ("maxTravelKm", "maxHoursWeek", "reliability", "hoursThisMonth"):
        if number_of(v, key, path) < 0:
            raise ValidationInputError(f"{path}.{key}", "must be >= 0")
    if number_of(v, "reliability", path) > 1:
        raise ValidationInputError(f"{path}.reliability", "must be within 0..1")
    bool_of(v, "active", path, required=True)
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
            if key == "booked" and b.get("event") is not None and not isinstance(b["event"], str):
                raise ValidationInputError(f"{path}.booked[{k}].event", "must be an event id or null")


def check_shift(s: Mapping[str, Any], path: str, codes: set[str], assoc_ids: set[str]) -> None:
    if text_of(s, "association", path) not in assoc_ids:
        raise ValidationInputError(
            f"{path}.association", f"unknown association {s['association']!r}"
        )
    text_of(s, "event", path)
    check_point(s, path)
    bool_of(s, "urgent", path, required=False)
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
    for i, u in enumerate(list_of(result, "unfilled", "$", default=[])):
        where = f"unfilled[{i}]"
        text_of(u, "shift", where)
        need = field_of(u, "need", where)
        if isinstance(need, bool) or not isinstance(need, int) or need < 0:
            raise ValidationInputError(f"{where}.need", "must be a need index")
        int_of(u, "count", where, 1, None)
        if field_of(u, "reason", where) not in REASONS:
            raise ValidationInputError(
                f"{where}.reason", f"must be one of {', '.join(sorted(REASONS))}"
            )
