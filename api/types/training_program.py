"""TrainingProgram: a capacity-building course that certifies one skill, with seat counts."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from api.errors import forbidden
from api.types.association import Association, load_association
from api.types.enums import EnrollmentStatus
from api.types.governorate import Governorate, load_governorate
from api.types.skill import Skill, load_skill
from graph.training import Program
from graph.training_enrollment import enrollments_of_program

if TYPE_CHECKING:
    from api.types.enrollment import Enrollment


def may_manage_program(info: Info, association_id: str) -> bool:
    """Admins, and trainers of the association that runs the program."""
    viewer = info.context.require_viewer()
    return viewer.is_admin or (viewer.is_trainer and viewer.association == association_id)


@strawberry.type
class TrainingProgram:
    id: strawberry.ID
    title: str
    grants_level: int
    capacity: int
    starts_at: datetime
    ends_at: datetime
    valid_for_days: int | None
    enrolled_count: int
    waitlist_count: int
    completed_count: int
    seats_left: int = strawberry.field(description="capacity minus ENROLLED and COMPLETED")
    completion_rate: float = strawberry.field(
        description="completed / (enrolled + completed); 0 when nobody holds a seat"
    )
    skill_code: strawberry.Private[str]
    association_id: strawberry.Private[str]
    governorate_code: strawberry.Private[str]

    @strawberry.field
    async def skill(self, info: Info) -> Skill:
        return await load_skill(info, self.skill_code)

    @strawberry.field
    async def association(self, info: Info) -> Association:
        return await load_association(info, self.association_id)

    @strawberry.field
    async def governorate(self, info: Info) -> Governorate:
        return await load_governorate(info, self.governorate_code)

    @strawberry.field(description="Trainers of the program's association and admins only.")
    async def enrollments(
        self, info: Info, status: list[EnrollmentStatus] | None = None
    ) -> list[Annotated[Enrollment, strawberry.lazy("api.types.enrollment")]]:
        from api.types.enrollment import Enrollment

        if not may_manage_program(info, self.association_id):
            raise forbidden("not_trainer")
        statuses = [s.value for s in status] if status else None
        rows = await enrollments_of_program(info.context.driver, str(self.id), statuses)
        return [Enrollment.from_enrollment(e) for e in rows]

    @classmethod
    def from_program(cls, p: Program) -> TrainingProgram:
        return cls(
            id=strawberry.ID(p.id),
            title=p.title,
            grants_level=p.grants_level,
            capacity=p.capacity,
            starts_at=p.starts_at,
            ends_at=p.ends_at,
            valid_for_days=p.valid_for_days,
            enrolled_count=p.enrolled_count,
            waitlist_count=p.waitlist_count,
            completed_count=p.completed_count,
            seats_left=p.seats_left,
            completion_rate=p.completion_rate,
            skill_code=p.skill,
            association_id=p.association_id,
            governorate_code=p.governorate,
        )
