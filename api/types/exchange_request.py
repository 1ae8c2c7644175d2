"""ExchangeRequest: a borrower association asks a lender for one of its volunteers."""

from datetime import UTC, datetime
from typing import Any

import strawberry
from strawberry.types import Info

from api.errors import not_found
from api.types.assignment import Assignment
from api.types.association import Association, load_association
from api.types.enums import ExchangeStatus
from api.types.values import to_datetime


@strawberry.type
class ExchangeRequest:
    id: strawberry.ID
    status: ExchangeStatus
    created_at: datetime
    decided_at: datetime | None
    row: strawberry.Private[dict[str, Any]]

    @strawberry.field
    async def borrower(self, info: Info) -> Association:
        return await load_association(info, self.row.get("borrower") or "")

    @strawberry.field
    async def lender(self, info: Info) -> Association:
        return await load_association(info, self.row.get("lender") or "")

    @strawberry.field
    async def assignment(self, info: Info) -> Assignment:
        row = await info.context.loaders.assignments.load(self.row.get("assignmentId") or "")
        if row is None:
            raise not_found("assignment")
        return Assignment.from_row(row)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "ExchangeRequest":
        return cls(
            id=strawberry.ID(row["id"]),
            status=ExchangeStatus(row["status"]),
            created_at=to_datetime(row.get("createdAt")) or datetime(1970, 1, 1, tzinfo=UTC),
            decided_at=to_datetime(row.get("decidedAt")),
            row=row,
        )
