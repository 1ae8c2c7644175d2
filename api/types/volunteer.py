"""Volunteer: one person across associations. The national ID is never exposed;
the phone is masked unless the viewer may see it (admin, itself, a coordinator of one of its associations)."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from api.types.availability_window import AvailabilityWindow
from api.types.enums import AssignmentStatus, Gender
from api.types.governorate import Governorate, load_governorate
from api.types.membership import Membership
from api.types.values import GENDER_FROM_LETTER
from api.types.volunteer_skill import VolunteerSkill

if TYPE_CHECKING:
    from api.types.assignment_connection import AssignmentConnection
    from api.types.enrollment import Enrollment


def mask_phone(phone: str | None) -> str | None:
    """Keep the operator prefix (3) and the last 2 digits: 01012345689 -> 010******89."""
    if not phone:
        return None
    if len(phone) <= 5:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 5) + phone[-2:]


@strawberry.type
class Volunteer:
    id: strawberry.ID
    name: str
    gender: Gender
    birth_year: int
    reliability: float
    hours_this_month: float
    row: strawberry.Private[dict[str, Any]]

    @strawberry.field
    async def governorate(self, info: Info) -> Governorate:
        return await load_governorate(info, self.row.get("governorate") or "")

    @strawberry.field(description='Masked (e.g. "010******89") unless the viewer may see it.')
    async def phone(self, info: Info) -> str | None:
        from api.scope import may_see_phone

        phone = self.row.get("phone")
        if await may_see_phone(info.context, str(self.id)):
            return phone
        return mask_phone(phone)

    @strawberry.field
    async def memberships(self, info: Info) -> list[Membership]:
        rows = await info.context.loaders.volunteer_memberships.load(str(self.id))
        return [Membership.from_row(r) for r in rows]

    @strawberry.field
    async def skills(self, info: Info) -> list[VolunteerSkill]:
        rows = await info.context.loaders.volunteer_skills.load(str(self.id))
        return [VolunteerSkill.from_row(r) for r in rows]

    @strawberry.field
    def availability(self) -> list[AvailabilityWindow]:
        return AvailabilityWindow.list_from_json(self.row.get("availability"))

    @strawberry.field
    async def assignments(
        self,
        info: Info,
        status: list[AssignmentStatus] | None = None,
        from_: Annotated[datetime | None, strawberry.argument(name="from")] = None,
        to: datetime | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Annotated["AssignmentConnection", strawberry.lazy("api.types.assignment_connection")]:
        from api.types.assignment_connection import volunteer_assignments

        return await volunteer_assignments(info, str(self.id), status, from_, to, first, after)

    @strawberry.field
    async def enrollments(
        self, info: Info
    ) -> list[Annotated["Enrollment", strawberry.lazy("api.types.enrollment")]]:
        from api.types.enrollment import enrollments_of_volunteer

        return await enrollments_of_volunteer(info, str(self.id))

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "Volunteer":
        return cls(
            id=strawberry.ID(row["id"]),
            name=row.get("name") or "",
            gender=Gender(GENDER_FROM_LETTER.get(row.get("gender") or "", "FEMALE")),
            birth_year=int(row.get("birthYear") or 0),
            reliability=float(
                row.get("reliability") if row.get("reliability") is not None else 1.0
            ),
            hours_this_month=float(row.get("hoursThisMonth") or 0.0),
            row=row,
        )
