"""The assignment lifecycle over GraphQL: respond (volunteer), cancel / checkIn / complete (coordinator)."""

import strawberry
from strawberry.types import Info

from api.errors import bad_input, graph_refusals, not_found
from api.permissions import IsCoordinator, IsVolunteer
from api.refill import request_refill
from api.scope import organizer_assignment, own_assignment
from api.types.assignment import Assignment
from graph import assignments as lifecycle

MAX_HOURS = 24.0


async def _reload(info: Info, assignment_id: str) -> Assignment:
    info.context.loaders.clear_all()
    row = await info.context.loaders.assignments.load(assignment_id)
    if row is None:
        raise not_found("assignment")
    return Assignment.from_row(row)


def _actor(info: Info) -> str:
    viewer = info.context.viewer
    return f"{viewer.role.lower()}:{viewer.sub}"


@strawberry.type
class AssignmentMutation:
    @strawberry.mutation(
        permission_classes=[IsVolunteer], description="The volunteer accepts or declines."
    )
    async def respond_to_assignment(
        self, info: Info, id: strawberry.ID, accept: bool
    ) -> Assignment:
        await own_assignment(info.context, str(id))
        async with graph_refusals():
            changed = await lifecycle.respond(info.context.driver, str(id), accept, _actor(info))
        if changed.status == "DECLINED":
            await request_refill(info.context, changed.shift_id, [changed.volunteer_id])
        return await _reload(info, str(id))

    @strawberry.mutation(
        permission_classes=[IsCoordinator], description="Frees the slot and triggers a refill."
    )
    async def cancel_assignment(
        self, info: Info, id: strawberry.ID, reason: str | None = None
    ) -> Assignment:
        if reason is not None and len(reason) > 500:
            raise bad_input("reason", "too_long", max=500)
        await organizer_assignment(info.context, str(id))
        async with graph_refusals():
            changed = await lifecycle.cancel(info.context.driver, str(id), _actor(info))
        await request_refill(info.context, changed.shift_id, [changed.volunteer_id])
        return await _reload(info, str(id))

    @strawberry.mutation(permission_classes=[IsCoordinator])
    async def check_in(self, info: Info, assignment_id: strawberry.ID) -> Assignment:
        await organizer_assignment(info.context, str(assignment_id))
        minutes = info.context.settings.checkin_open_minutes
        async with graph_refusals():
            await lifecycle.check_in(info.context.driver, str(assignment_id), _actor(info), minutes)
        return await _reload(info, str(assignment_id))

    @strawberry.mutation(permission_classes=[IsCoordinator])
    async def complete_assignment(
        self,
        info: Info,
        assignment_id: strawberry.ID,
        hours: float | None = None,
        no_show: bool | None = False,
    ) -> Assignment:
        if hours is not None and not 0.0 < hours <= MAX_HOURS:
            raise bad_input("hours", "hours_range")
        await organizer_assignment(info.context, str(assignment_id))
        async with graph_refusals():
            await lifecycle.complete(
                info.context.driver,
                str(assignment_id),
                _actor(info),
                hours=hours,
                no_show=bool(no_show),
            )
        return await _reload(info, str(assignment_id))
