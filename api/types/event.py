"""Event: organized by one association in a governorate, made of shifts."""

from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from api.types.association import Association, load_association
from api.types.enums import Domain
from api.types.governorate import Governorate, load_governorate
from api.types.shift import Shift
from api.types.values import to_datetime


@strawberry.type
class Event:
    id: strawberry.ID
    title: str
    domain: Domain
    campaign: str | None
    latitude: float
    longitude: float
    starts_at: datetime
    ends_at: datetime
    association_id: strawberry.Private[str]
    governorate_code: strawberry.Private[str]

    @strawberry.field
    async def association(self, info: Info) -> Association:
        return await load_association(info, self.association_id)

    @strawberry.field
    async def governorate(self, info: Info) -> Governorate:
        return await load_governorate(info, self.governorate_code)

    @strawberry.field
    async def shifts(self, info: Info) -> list[Shift]:
        rows = await info.context.loaders.event_shifts.load(str(self.id))
        return [Shift.from_row(r) for r in rows]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "Event":
        starts, ends = to_datetime(row["startsAt"]), to_datetime(row["endsAt"])
        assert starts is not None and ends is not None
        domain = row.get("domain") or "OTHER"
        return cls(
            id=strawberry.ID(row["id"]),
            title=row.get("title") or "",
            domain=Domain(domain) if domain in Domain.__members__ else Domain.OTHER,
            campaign=row.get("campaign"),
            latitude=float(row.get("lat") or 0.0),
            longitude=float(row.get("lon") or 0.0),
            starts_at=starts,
            ends_at=ends,
            association_id=row.get("association") or "",
            governorate_code=row.get("governorate") or "",
        )
