"""Enrollment: a volunteer's seat (or place in line) in a training program."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.errors import not_found
from api.loaders.training_programs import training_programs_loader
from api.types.enums import EnrollmentStatus
from api.types.training_program import TrainingProgram
from api.types.volunteer import Volunteer
from graph.training_enrollment import Enrollment as EnrollmentRow
from graph.training_enrollment import enrollments_of_volunteers


@strawberry.type
class Enrollment:
    id: strawberry.ID
    status: EnrollmentStatus
    attended_hours: float
    volunteer_id: strawberry.Private[str]
    program_id: strawberry.Private[str]

    @strawberry.field
    async def volunteer(self, info: Info) -> Volunteer:
        # whoever may see the enrollment (the volunteer, its program's trainers, admins, or
        # those who may see the volunteer) sees who holds it
        row = await info.context.loaders.volunteers.load(self.volunteer_id)
        if row is None:
            raise not_found("volunteer")
        return Volunteer.from_row(row)

    @strawberry.field
    async def program(self, info: Info) -> TrainingProgram:
        program = await training_programs_loader(info.context).load(self.program_id)
        if program is None:
            raise not_found("training program")
        return TrainingProgram.from_program(program)

    @classmethod
    def from_enrollment(cls, e: EnrollmentRow) -> Enrollment:
        return cls(
            id=strawberry.ID(e.id),
            status=EnrollmentStatus(e.status),
            attended_hours=e.attended_hours,
            volunteer_id=e.volunteer_id,
            program_id=e.program_id,
        )


async def enrollments_of_volunteer(info: Info, volunteer_id: str) -> list[Enrollment]:
    """Volunteer.enrollments (the caller already may see the volunteer)."""
    grouped = await enrollments_of_volunteers(info.context.driver, [volunteer_id])
    return [Enrollment.from_enrollment(e) for e in grouped.get(volunteer_id, [])]
