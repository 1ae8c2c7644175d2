"""Shift: a time slot of an event with its needs and the assignments filling them."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from api.errors import not_found
from api.types.enums import AssignmentStatus
from api.types.shift_need import ShiftNeed
from api.types.values import to_datetime

if TYPE_CHECKING:
    from api.types.assignment import Assignment
    from api.types.event import Event


@strawberry.type
class Shift:
    id: strawberry.ID
    starts_at: datetime
    ends_at: datetime
    urgent: bool
    event_id: strawberry.Private[str]

    @strawberry.field
    async def event(self, info: Info) -> Annotated["Event", strawberry.lazy("api.types.event")]:
        from api.types.event import Event

        row = await info.context.loaders.events.load(self.event_id)
        if row is None:
            raise not_found("event")
        return Event.from_row(row)

    @strawberry.field
    async def needs(self, info: Info) -> list[ShiftNeed]:
        rows = await info.context.loaders.shift_needs.load(str(self.id))
        return [ShiftNeed.from_row(r) for r in rows]

    @strawberry.field
    async def slots_total(self, info: Info) -> int:
        rows = await info.context.loaders.shift_needs.load(str(self.id))
        return sum(int(r["count"]) for r in rows)

    @strawberry.field
    async def slots_filled(self, info: Info) -> int:
        rows = await info.context.loaders.shift_needs.load(str(self.id))
        return sum(min(int(r["filled"]), int(r["count"])) for r in rows)

    @strawberry.field(description="Only the assignments the viewer may see.")
    async def assignments(
        self, info: Info, status: list[AssignmentStatus] | None = None
    ) -> list[Annotated["Assignment", strawberry.lazy("api.types.assignment")]]:
        from api.scope import may_see_assignment
        from api.types.assignment import Assignment

        rows = await info.context.loaders.shift_assignments.load(str(self.id))
        wanted = {s.value for s in status} if status else None
        out = []
        for row in rows:
            if wanted is not None and row["status"] not in wanted:
                continue
            if await may_see_assignment(info.context, row):
                out.append(Assignment.from_row(row))
        return out

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "Shift":
        starts, ends = to_datetime(row["startsAt"]), to_datetime(row["endsAt"])
        assert starts is not None and ends is not None
        return cls(
            id=strawberry.ID(row["id"]),
            starts_at=starts,
            ends_at=ends,
            urgent=bool(row.get("urgent")),
            event_id=row["eventId"],
        )
