"""Conversions between stored values and API values (datetimes, gender letters, cursors)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

CAIRO = ZoneInfo("Africa/Cairo")


def to_datetime(value: Any) -> datetime | None:
    """A timezone-aware datetime from a Neo4j DateTime / Python datetime / ISO string."""
    if value is None:
        return None
    if type(value) is datetime and value.tzinfo is not None:
        return value  # what the graph layer hands over: aware UTC datetimes
    if hasattr(value, "to_native"):
        value = value.to_native()
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def serialize_datetime(value: datetime) -> str:
    """ISO 8601 with offset, shown in Africa/Cairo."""
    aware = to_datetime(value)
    assert aware is not None
    return aware.astimezone(CAIRO).isoformat()


def parse_datetime(value: Any) -> datetime:
    """Accept ISO 8601 with an explicit offset only (naive times are ambiguous across DST)."""
    if not isinstance(value, str):
        raise ValueError("DateTime must be an ISO 8601 string with an offset")
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise ValueError("DateTime must include a UTC offset, e.g. 2026-03-01T09:00:00+02:00")
    return parsed.astimezone(UTC)


GENDER_FROM_LETTER = {"F": "FEMALE", "M": "MALE"}
LETTER_FROM_GENDER = {"FEMALE": "F", "MALE": "M"}


def encode_cursor(kind: str, value: str | int) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{value}".encode()).decode()


def decode_cursor(kind: str, cursor: str) -> str | None:
    """The value in a cursor of this kind, or None if it is not one."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    prefix, _, value = text.partition(":")
    return value if prefix == kind and value else None
