"""UnfilledSlot: one empty slot a matching run could not fill, and why."""

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from api.errors import not_found
from api.types.skill import Skill, load_skill

if TYPE_CHECKING:
    from api.types.shift import Shift


@strawberry.type(description="One empty slot (a need of count 3 with one filled gives two).")
class UnfilledSlot:
    reason: str = strawberry.field(
        description="NO_SKILL_IN_REACH, ALL_CANDIDATES_BUSY, LENDER_QUOTA, NOT_AVAILABLE, RULE "
        "or OUTCOMPETED"
    )
    need_index: int
    shift_id: strawberry.Private[str]
    skill_code: strawberry.Private[str]

    @strawberry.field
    async def shift(self, info: Info) -> Annotated["Shift", strawberry.lazy("api.types.shift")]:
        from api.types.shift import Shift

        row = await info.context.loaders.shifts.load(self.shift_id)
        if row is None:
            raise not_found("shift")
        return Shift.from_row(row)

    @strawberry.field
    async def skill(self, info: Info) -> Skill:
        return await load_skill(info, self.skill_code)

    @classmethod
    def from_entry(cls, entry: dict[str, Any]) -> "UnfilledSlot":
        return cls(
            reason=str(entry.get("reason") or "ALL_CANDIDATES_BUSY"),
            need_index=int(entry.get("needIndex") or 0),
            shift_id=str(entry["shiftId"]),
            skill_code=str(entry.get("skill") or ""),
        )
