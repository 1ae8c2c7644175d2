"""Membership: a volunteer belongs to an association since a date (one is primary)."""

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from api.types.values import to_datetime

if TYPE_CHECKING:
    from api.types.association import Association


@strawberry.type
class Membership:
    since: datetime
    primary: bool
    association_id: strawberry.Private[str]

    @strawberry.field
    async def association(
        self, info: Info
    ) -> Annotated["Association", strawberry.lazy("api.types.association")]:
        from api.types.association import load_association

        return await load_association(info, self.association_id)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "Membership":
        since = to_datetime(row.get("since")) or datetime(1970, 1, 1, tzinfo=UTC)
        return cls(
            since=since,
            primary=bool(row.get("primary")),
            association_id=row["association"],
        )
