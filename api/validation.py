"""Input checks shared by mutations; each raises BAD_USER_INPUT naming the offending field."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Final

from api.errors import bad_input

TIME_RE: Final = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")
EGYPT_MOBILE_RE: Final = re.compile(r"^01[0125]\d{8}$")
MAX_NAME: Final = 200


def text(field: str, value: str, *, max_len: int = MAX_NAME) -> str:
    cleaned = " ".join(value.split())
    if not cleaned:
        raise bad_input(field, "required")
    if len(cleaned) > max_len:
        raise bad_input(field, "too_long", max=max_len)
    return cleaned


def phone(field: str, value: str) -> str:
    digits = value.strip().replace(" ", "").replace("-", "")
    if digits.startswith("+20"):
        digits = "0" + digits[3:]
    if not EGYPT_MOBILE_RE.match(digits):
        raise bad_input(field, "phone_format")
    return digits


def level(field: str, value: int) -> int:
    if not 1 <= value <= 5:
        raise bad_input(field, "level_range")
    return value


def minutes_of(value: str) -> int:
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


def windows(prefix: str, items: Sequence[object]) -> list[tuple[int, str, str]]:
    """Weekly availability windows: weekday 1..7, HH:MM, end after start, no overlap per day."""
    out: list[tuple[int, str, str]] = []
    for i, w in enumerate(items):
        weekday, start, end = w.weekday, w.start_time, w.end_time  # type: ignore[attr-defined]
        if not 1 <= weekday <= 7:
            raise bad_input(f"{prefix}[{i}].weekday", "weekday_range")
        if not TIME_RE.match(start) or start == "24:00":
            raise bad_input(f"{prefix}[{i}].startTime", "time_format")
        if not TIME_RE.match(end):
            raise bad_input(f"{prefix}[{i}].endTime", "time_format")
        if minutes_of(end) <= minutes_of(start):
            raise bad_input(f"{prefix}[{i}].endTime", "end_after_start")
        out.append((weekday, start, end))
    by_day = sorted(range(len(out)), key=lambda k: (out[k][0], minutes_of(out[k][1])))
    for a, b in zip(by_day, by_day[1:], strict=False):
        if out[a][0] == out[b][0] and minutes_of(out[b][1]) < minutes_of(out[a][2]):
            raise bad_input(f"{prefix}[{b}].startTime", "windows_overlap")
    return out


async def known_governorate(ctx: Any, field: str, code: str | None) -> None:
    """A governorate code given as a filter must be one of the 27 (a typo is an error, not an
    empty list); None means no filter."""
    if code is not None and await ctx.loaders.governorates.load(code) is None:
        raise bad_input(field, "unknown_governorate", code=code)
