"""Object-level scope: who may see or act on which volunteer, event, assignment, request.

The one place these rules live (API.md "Who may do what"):
- admin: everything;
- coordinator: its association's events, members, and exchange requests where it borrows or
  lends; another association's volunteer only through an exchange assignment, without phone;
- trainer: its association's members (to enroll them), without phone;
- volunteer: itself, its assignments, and the events and shifts of them.
"""

from __future__ import annotations

from typing import Any

from api.context import Context
from api.errors import forbidden, not_found
from graph.scope_facts import event_lent_by, volunteer_borrowed_by, volunteer_in_event

Row = dict[str, Any]


async def member_of(ctx: Context, volunteer_id: str, association: str | None) -> bool:
    if association is None:
        return False
    memberships = await ctx.loaders.volunteer_memberships.load(volunteer_id)
    return any(m["association"] == association for m in memberships)


async def may_see_volunteer(ctx: Context, volunteer_id: str) -> bool:
    viewer = ctx.require_viewer()
    if viewer.is_admin or (viewer.is_volunteer and viewer.sub == volunteer_id):
        return True
    if viewer.is_coordinator or viewer.is_trainer:
        if await member_of(ctx, volunteer_id, viewer.association):
            return True
    if viewer.is_coordinator and viewer.association is not None:
        return await volunteer_borrowed_by(ctx.driver, volunteer_id, viewer.association)
    return False


async def may_see_phone(ctx: Context, volunteer_id: str) -> bool:
    """Admin, the volunteer itself, or a coordinator of one of its associations."""
    viewer = ctx.viewer
    if viewer is None:
        return False
    if viewer.is_admin or (viewer.is_volunteer and viewer.sub == volunteer_id):
        return True
    return viewer.is_coordinator and await member_of(ctx, volunteer_id, viewer.association)


async def visible_volunteer(ctx: Context, volunteer_id: str) -> Row:
    """The volunteer's row if it exists and the viewer may see it (NOT_FOUND / FORBIDDEN)."""
    row = await ctx.loaders.volunteers.load(volunteer_id)
    if row is None:
        raise not_found("volunteer")
    if not await may_see_volunteer(ctx, volunteer_id):
        raise forbidden()
    return row


def scoped_association(ctx: Context, requested: str | None) -> str | None:
    """The association a list must be restricted to for this viewer (None = all, admin only)."""
    viewer = ctx.require_viewer()
    if viewer.is_admin:
        return requested
    if viewer.is_coordinator or viewer.is_trainer:
        if requested is not None and requested != viewer.association:
            raise forbidden()
        return viewer.association
    raise forbidden()


async def may_see_event(ctx: Context, event: Row) -> bool:
    viewer = ctx.require_viewer()
    if viewer.is_admin:
        return True
    if viewer.is_coordinator and viewer.association is not None:
        if event.get("association") == viewer.association:
            return True
        return await event_lent_by(ctx.driver, event["id"], viewer.association)
    if viewer.is_volunteer:
        return await volunteer_in_event(ctx.driver, viewer.sub, event["id"])
    return False


async def visible_event(ctx: Context, event_id: str) -> Row:
    row = await ctx.loaders.events.load(event_id)
    if row is None:
        raise not_found("event")
    if not await may_see_event(ctx, row):
        raise forbidden()
    return row


async def visible_shift(ctx: Context, shift_id: str) -> Row:
    row = await ctx.loaders.shifts.load(shift_id)
    if row is None:
        raise not_found("shift")
    event = await ctx.loaders.events.load(row["eventId"])
    if event is None or not await may_see_event(ctx, event):
        raise forbidden()
    return row


async def event_of_assignment(ctx: Context, assignment: Row) -> Row | None:
    shift = await ctx.loaders.shifts.load(assignment["shiftId"])
    if shift is None:
        return None
    return await ctx.loaders.events.load(shift["eventId"])


async def may_see_assignment(ctx: Context, assignment: Row) -> bool:
    viewer = ctx.viewer
    if viewer is None:
        return False
    if viewer.is_admin:
        return True
    if viewer.is_volunteer:
        return assignment["volunteerId"] == viewer.sub
    if viewer.is_coordinator:
        if assignment.get("lender") == viewer.association:
            return True
        event = await event_of_assignment(ctx, assignment)
        return event is not None and event.get("association") == viewer.association
    return False


async def organizer_assignment(ctx: Context, assignment_id: str) -> Row:
    """An assignment on an event of the calling coordinator's association (the one who acts on it)."""
    viewer = ctx.require_viewer()
    row = await ctx.loaders.assignments.load(assignment_id)
    if row is None:
        raise not_found("assignment")
    event = await event_of_assignment(ctx, row)
    if not viewer.is_coordinator or event is None or event.get("association") != viewer.association:
        raise forbidden()
    return row


async def own_assignment(ctx: Context, assignment_id: str) -> Row:
    """An assignment of the calling volunteer."""
    viewer = ctx.require_viewer()
    row = await ctx.loaders.assignments.load(assignment_id)
    if row is None:
        raise not_found("assignment")
    if not viewer.is_volunteer or row["volunteerId"] != viewer.sub:
        raise forbidden()
    return row
