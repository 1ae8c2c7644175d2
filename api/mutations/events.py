"""createEvent: a coordinator's event (of its own association) with shifts and needs."""

from uuid import uuid4

import strawberry
from strawberry.types import Info

from api import validation
from api.errors import bad_input, not_found
from api.permissions import IsCoordinator
from api.types.coordination_warning import CoordinationWarning
from api.types.create_event_input import CreateEventInput
from api.types.create_event_payload import CreateEventPayload
from api.types.event import Event
from api.types.values import LETTER_FROM_GENDER
from graph.coordination import find_coordination_warnings
from graph.cypher_runner import interactive_session
from graph.event_creation import NewEvent, NewNeed, NewShift, create_event
from graph.registration import existing_codes

MAX_SHIFTS = 400
MAX_NEEDS_PER_SHIFT = 50
MAX_COUNT = 10_000


def _shifts(input: CreateEventInput) -> list[NewShift]:
    if not input.shifts:
        raise bad_input("input.shifts", "required")
    if len(input.shifts) > MAX_SHIFTS:
        raise bad_input("input.shifts", "too_long", max=MAX_SHIFTS)
    shifts = []
    for i, s in enumerate(input.shifts):
        field = f"input.shifts[{i}]"
        if s.ends_at <= s.starts_at:
            raise bad_input(f"{field}.endsAt", "end_after_start")
        if not s.needs:
            raise bad_input(f"{field}.needs", "required")
        if len(s.needs) > MAX_NEEDS_PER_SHIFT:
            raise bad_input(f"{field}.needs", "too_long", max=MAX_NEEDS_PER_SHIFT)
        needs = []
        for j, n in enumerate(s.needs):
            nf = f"{field}.needs[{j}]"
            if not 1 <= n.count <= MAX_COUNT:
                raise bad_input(f"{nf}.count", "must_be_positive")
            min_level = validation.level(
                f"{nf}.minLevel", 1 if n.min_level is None else n.min_level
            )
            if n.min_age is not None and not 0 <= n.min_age <= 100:
                raise bad_input(f"{nf}.minAge", "level_range")
            gender = LETTER_FROM_GENDER[n.gender.value] if n.gender else None
            needs.append(NewNeed(n.skill, n.count, min_level, gender, n.min_age))
        shifts.append(
            NewShift(f"sh-{uuid4().hex[:16]}", s.starts_at, s.ends_at, bool(s.urgent), tuple(needs))
        )
    return shifts


async def _warnings(info: Info, event: NewEvent) -> list[CoordinationWarning]:
    """Other associations' events of the same domain, overlapping in time, within 5 km."""
    starts = min(s.starts_at for s in event.shifts)
    ends = max(s.ends_at for s in event.shifts)
    async with interactive_session(info.context.driver) as session:
        pairs = await find_coordination_warnings(
            session, event.association, event.domain, event.lat, event.lon, starts, ends
        )
    return [CoordinationWarning(event_id=event_id, reason=reason) for event_id, reason in pairs]


@strawberry.type
class EventMutation:
    @strawberry.mutation(permission_classes=[IsCoordinator])
    async def create_event(self, info: Info, input: CreateEventInput) -> CreateEventPayload:
        ctx = info.context
        title = validation.text("input.title", input.title)
        campaign = (
            validation.text("input.campaign", input.campaign)
            if input.campaign is not None
            else None
        )
        if not -90 <= input.latitude <= 90:
            raise bad_input("input.latitude", "latitude_range")
        if not -180 <= input.longitude <= 180:
            raise bad_input("input.longitude", "longitude_range")
        shifts = _shifts(input)
        codes = sorted({n.skill for s in shifts for n in s.needs})
        known = await existing_codes(
            ctx.driver, skills=codes, governorates=[input.governorate], associations=[]
        )
        if input.governorate not in known["governorates"]:
            raise bad_input("input.governorate", "unknown_governorate", code=input.governorate)
        for i, s in enumerate(input.shifts):
            for j, n in enumerate(s.needs):
                if n.skill not in known["skills"]:
                    raise bad_input(
                        f"input.shifts[{i}].needs[{j}].skill", "unknown_skill", code=n.skill
                    )
        event = NewEvent(
            id=f"ev-{uuid4().hex[:16]}",
            association=ctx.viewer.association,
            title=title,
            domain=input.domain.value,
            campaign=campaign,
            governorate=input.governorate,
            lat=input.latitude,
            lon=input.longitude,
            shifts=tuple(shifts),
        )
        await create_event(ctx.driver, event)
        warnings = await _warnings(info, event)
        ctx.loaders.clear_all()
        row = await ctx.loaders.events.load(event.id)
        if row is None:
            raise not_found("event")
        return CreateEventPayload(event=Event.from_row(row), warnings=warnings)
