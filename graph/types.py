"""Records the graph repositories return (plain frozen dataclasses, Python datetimes in UTC)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One keyset page: items in id order, whether more follow, and the filter's total."""

    items: tuple[T, ...]
    has_next: bool
    total_count: int

    @property
    def end_cursor(self) -> str | None:
        last = self.items[-1] if self.items else None
        if isinstance(last, dict):  # rows
            return last.get("id")
        return getattr(last, "id", None) if last is not None else None


@dataclass(frozen=True, slots=True)
class AvailabilityWindow:
    weekday: int  # 1=Mon..7=Sun, Cairo time
    start: str  # "HH:MM"
    end: str


@dataclass(frozen=True, slots=True)
class VolunteerRecord:
    id: str
    name: str
    gender: str
    birth_year: int
    birth_governorate: str | None
    governorate: str | None  # where the volunteer lives (LIVES_IN)
    phone: str | None
    active: bool
    reliability: float
    hours_this_month: float
    max_travel_km: float | None
    max_hours_week: float | None
    lat: float | None
    lon: float | None
    availability: tuple[AvailabilityWindow, ...]


@dataclass(frozen=True, slots=True)
class VolunteerSkillRecord:
    skill: str
    level: int
    certified_by: str | None
    expires_at: datetime | None


@dataclass(frozen=True, slots=True)
class MembershipRecord:
    association: str
    since: datetime | None
    primary: bool


@dataclass(frozen=True, slots=True)
class VolunteerFilter:
    governorate: str | None = None
    skill: str | None = None
    min_level: int | None = None
    association: str | None = None
    available_from: datetime | None = None
    available_to: datetime | None = None
    search: str | None = None


@dataclass(frozen=True, slots=True)
class SharingPolicyRecord:
    lends: bool
    max_share: float
    requires_approval: bool
    borrowers: tuple[str, ...] | None  # None = lends to every member


@dataclass(frozen=True, slots=True)
class AssociationRecord:
    id: str
    name: str
    name_ar: str | None
    policy: SharingPolicyRecord
    lent_hours: float
    borrowed_hours: float


@dataclass(frozen=True, slots=True)
class NeedRecord:
    index: int
    skill: str
    count: int
    min_level: int
    gender: str | None
    min_age: int | None


@dataclass(frozen=True, slots=True)
class ShiftRecord:
    id: str
    event_id: str
    starts_at: datetime
    ends_at: datetime
    urgent: bool
    needs: tuple[NeedRecord, ...]


@dataclass(frozen=True, slots=True)
class EventRecord:
    id: str
    title: str
    domain: str
    campaign: str | None
    association: str | None
    governorate: str | None
    lat: float
    lon: float
    starts_at: datetime
    ends_at: datetime
    created_at: datetime | None


@dataclass(frozen=True, slots=True)
class EventFilter:
    governorate: str | None = None
    domain: str | None = None
    association: str | None = None
    starts_from: datetime | None = None  # events ending at/after this instant
    starts_to: datetime | None = None  # events starting at/before this instant
    campaign: str | None = None
