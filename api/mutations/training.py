"""Training mutations: create programs, enroll, attendance, completion, drop.

Who may: a trainer acts for programs of its own association, an admin for any; a trainer
enrolls members of its association only; a volunteer may enroll itself (in any program) and
drop its own enrollment. Refusals from the graph layer
(`TrainingRefused`) become NOT_FOUND / CONFLICT / BAD_USER_INPUT naming the field.
"""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import UTC, datetime
from typing import TypeVar
from uuid import uuid4

import strawberry
from strawberry.types import Info

from api.auth import Viewer
from api.errors import ApiError, bad_input, conflict, forbidden, not_found
from api.permissions import IsTrainerOrAdmin
from api.scope import member_of
from api.types.enrollment import Enrollment
from api.types.training_program import TrainingProgram, may_manage_program
from api.types.training_program_input import TrainingProgramInput
from graph.training import ProgramInput, create_program
from graph.training_enrollment import (
    complete_training,
    drop_enrollment,
    enroll,
    enrollment_scope,
    program_association,
    record_attendance,
)
from graph.training_errors import TrainingRefused

T = TypeVar("T")


class IsTrainerAdminOrVolunteer(IsTrainerOrAdmin):
    """Enrolling and dropping: the training team, admins, or a volunteer acting for itself."""

    message = "forbidden"

    def check(self, viewer: Viewer) -> bool:
        return viewer.is_admin or viewer.is_trainer or viewer.is_volunteer


def to_api_error(refused: TrainingRefused, field_prefix: str = "") -> ApiError:
    """The GraphQL error for a training refusal (message keys are in api/messages.py)."""
    field = f"{field_prefix}{refused.field}" if refused.field else None
    if refused.code == "NOT_FOUND":
        return not_found(refused.key)
    if refused.code == "CONFLICT":
        return conflict(refused.key, **refused.params)
    return bad_input(field or "input", refused.key, **refused.params)


async def _refusals_as_errors(work: Awaitable[T], field_prefix: str = "") -> T:
    try:
        return await work
    except TrainingRefused as refused:
        raise to_api_error(refused, field_prefix) from None


def _now() -> datetime:
    return datetime.now(UTC)


async def _program_association(info: Info, program_id: str) -> str | None:
    return await _refusals_as_errors(program_association(info.context.driver, program_id))


async def _scope_of_enrollment(info: Info, enrollment_id: str, *, volunteer_may: bool) -> None:
    """NOT_FOUND for an unknown enrollment; FORBIDDEN unless the viewer may act on it."""
    scope = await enrollment_scope(info.context.driver, enrollment_id)
    if scope is None:
        raise not_found("enrollment")
    viewer = info.context.require_viewer()
    if volunteer_may and viewer.is_volunteer and viewer.sub == scope.volunteer_id:
        return
    if not may_manage_program(info, scope.association_id or ""):
        raise forbidden("not_trainer")


@strawberry.type
class TrainingMutation:
    @strawberry.mutation(permission_classes=[IsTrainerOrAdmin])
    async def create_training_program(
        self, info: Info, input: TrainingProgramInput
    ) -> TrainingProgram:
        viewer = info.context.require_viewer()
        if viewer.is_admin:
            if input.association is None:
                raise bad_input("input.association", "required")
            association = str(input.association)
        else:
            if input.association is not None and str(input.association) != viewer.association:
                raise forbidden("not_trainer")
            association = str(viewer.association)
        data = ProgramInput(
            title=input.title,
            skill=input.skill,
            grants_level=input.grants_level,
            governorate=input.governorate,
            capacity=input.capacity,
            starts_at=input.starts_at,
            ends_at=input.ends_at,
            valid_for_days=input.valid_for_days,
            association_id=association,
        )
        program_id = f"tp-{uuid4().hex[:16]}"
        program = await _refusals_as_errors(
            create_program(info.context.driver, program_id, data, _now()), "input."
        )
        return TrainingProgram.from_program(program)

    @strawberry.mutation(permission_classes=[IsTrainerAdminOrVolunteer])
    async def enroll(
        self, info: Info, program_id: strawberry.ID, volunteer_id: strawberry.ID
    ) -> Enrollment:
        """ENROLLED when a seat is free, else WAITLISTED (in order of enrollment)."""
        viewer = info.context.require_viewer()
        association = await _program_association(info, str(program_id))
        itself = viewer.is_volunteer and viewer.sub == str(volunteer_id)
        if not itself and not may_manage_program(info, association or ""):
            raise forbidden()
        if not itself and not viewer.is_admin and not await member_of(
            info.context, str(volunteer_id), viewer.association
        ):
            # a trainer enrolls its own association's members; anyone else enrolls itself,
            # so a trainer cannot reach a stranger's profile through its program's enrollments
            if await info.context.loaders.volunteers.load(str(volunteer_id)) is None:
                raise not_found("volunteer")
            raise forbidden()
        enrollment_id = f"en-{uuid4().hex[:16]}"
        row = await _refusals_as_errors(
            enroll(info.context.driver, enrollment_id, str(program_id), str(volunteer_id), _now())
        )
        return Enrollment.from_enrollment(row)

    @strawberry.mutation(permission_classes=[IsTrainerOrAdmin])
    async def record_attendance(
        self, info: Info, enrollment_id: strawberry.ID, hours: float
    ) -> Enrollment:
        """Adds `hours` (> 0) to an ENROLLED enrollment's attended hours."""
        await _scope_of_enrollment(info, str(enrollment_id), volunteer_may=False)
        row = await _refusals_as_errors(
            record_attendance(info.context.driver, str(enrollment_id), hours, _now())
        )
        return Enrollment.from_enrollment(row)

    @strawberry.mutation(permission_classes=[IsTrainerOrAdmin])
    async def complete_training(self, info: Info, enrollment_id: strawberry.ID) -> Enrollment:
        """ENROLLED -> COMPLETED; grants (or raises, never lowers) the program's skill."""
        await _scope_of_enrollment(info, str(enrollment_id), volunteer_may=False)
        row = await _refusals_as_errors(
            complete_training(info.context.driver, str(enrollment_id), _now())
        )
        info.context.loaders.clear_all()  # the volunteer's skills changed
        return Enrollment.from_enrollment(row)

    @strawberry.mutation(permission_classes=[IsTrainerAdminOrVolunteer])
    async def drop_enrollment(self, info: Info, enrollment_id: strawberry.ID) -> Enrollment:
        """DROPPED; a freed seat goes to the first waitlisted volunteer at once."""
        await _scope_of_enrollment(info, str(enrollment_id), volunteer_may=True)
        row = await _refusals_as_errors(
            drop_enrollment(info.context.driver, str(enrollment_id), _now())
        )
        return Enrollment.from_enrollment(row)
