"""Association: a member NGO, its sharing policy and its exchange ledger."""

from typing import Any

import strawberry
from strawberry.types import Info

from api.errors import not_found
from api.types.sharing_policy import SharingPolicy


@strawberry.type
class Association:
    id: strawberry.ID
    name: str
    name_ar: str | None
    volunteer_count: int = strawberry.field(
        description="Active members (inactive ones are not counted; the lending quota is "
        "floor(maxShare x this))."
    )
    lent_hours: float
    borrowed_hours: float
    sharing_policy: SharingPolicy

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "Association":
        lends_to_all = bool(row.get("lendsToAll", True))
        return cls(
            id=strawberry.ID(row["id"]),
            name=row.get("name") or row["id"],
            name_ar=row.get("nameAr"),
            volunteer_count=int(row.get("volunteerCount") or 0),
            lent_hours=float(row.get("lentHours") or 0.0),
            borrowed_hours=float(row.get("borrowedHours") or 0.0),
            sharing_policy=SharingPolicy(
                lends=bool(row.get("lends")),
                max_share=float(row.get("maxShare") or 0.0),
                requires_approval=bool(row.get("requiresApproval", True)),
                borrower_ids=None if lends_to_all else sorted(row.get("borrowers") or []),
            ),
        )


async def load_association(info: Info, association_id: str) -> Association:
    row = await info.context.loaders.associations.load(association_id)
    if row is None:
        raise not_found("association")
    return Association.from_row(row)
