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
