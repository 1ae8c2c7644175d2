"""Assignment: a volunteer on a shift for one skill, with its status and cost explanation."""

from datetime import UTC, datetime
from typing import Any

import strawberry
from strawberry.types import Info

from api.errors import not_found
from api.types.association import Association, load_association
from api.types.cost_term import CostTerm
from api.types.enums import AssignmentStatus
from api.types.shift import Shift
from api.types.skill import Skill, load_skill
from api.types.values import serialize_datetime, to_datetime
from api.types.volunteer import Volunteer

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_STATUS = {status.value: status for status in AssignmentStatus}  # AssignmentStatus(v), faster


def shown_in_cairo(entry: str) -> str:
    """A history entry `STATUS|instant|actor` with its instant shown in Africa/Cairo, as every
    DateTime of the API is (stored in UTC); an entry not in that shape is shown as stored."""
    status, sep, rest = entry.partition("|")
    instant, sep2, actor = rest.partition("|")
    try:
        shown = serialize_datetime(datetime.fromisoformat(instant))
    except ValueError:
        return entry
    return f"{status}{sep}{shown}{sep2}{actor}"


@strawberry.type
class Assignment:
    id: strawberry.ID
    status: AssignmentStatus
    via_exchange: bool
    cost: float
    hours: float | None
    created_at: datetime
    updated_at: datetime
    history: list[str]
    row: strawberry.Private[dict[str, Any]]

    @strawberry.field
    async def volunteer(self, info: Info) -> Volunteer:
        row = await info.context.loaders.volunteers.load(self.row["volunteerId"])
        if row is None:
            raise not_found("volunteer")
        return Volunteer.from_row(row)

    @strawberry.field
    async def shift(self, info: Info) -> Shift:
        row = await info.context.loaders.shifts.load(self.row["shiftId"])
        if row is None:
            raise not_found("shift")
        return Shift.from_row(row)

    @strawberry.field
    async def skill(self, info: Info) -> Skill:
        return await load_skill(info, self.row.get("skill") or "")

    @strawberry.field
    async def lender(self, info: Info) -> Association | None:
        lender = self.row.get("lender")
        return await load_association(info, lender) if lender else None

    @strawberry.field(description="The cost broken down by term (termNames/termValues).")
    def explanation(self) -> list[CostTerm]:
        names = self.row.get("termNames") or []
        values = self.row.get("termValues") or []
        return [CostTerm(name=n, value=float(v)) for n, v in zip(names, values, strict=False)]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "Assignment":
        created = to_datetime(row.get("createdAt")) or _EPOCH
        return cls(
            id=strawberry.ID(row["id"]),
            status=_STATUS[row["status"]],
            via_exchange=bool(row.get("viaExchange")),
            cost=float(row.get("cost") or 0.0),
            hours=row.get("hours"),
            created_at=created,
            updated_at=to_datetime(row.get("updatedAt")) or created,
            history=[shown_in_cairo(h) for h in row.get("history") or ()],
            row=row,
        )
