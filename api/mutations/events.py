"""createEvent: a coordinator's event (of its own association) with shifts and needs."""

from datetime import datetime, timedelta
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
from api.types.shift_input import ShiftInput
from api.types.values import CAIRO, LETTER_FROM_GENDER
from engine.scheduling.recurrence import ShiftTemplate, expand
from graph.coordination import find_coordination_warnings
from graph.cypher_runner import interactive_session
from graph.event_creation import NewEvent, NewNeed, NewShift, create_event
from graph.registration import existing_codes

MAX_SHIFTS = 400
MAX_REPEAT_DAYS = 90
MAX_NEEDS_PER_SHIFT = 50
MAX_COUNT = 10_000


def _occurrences(s: ShiftInput, field: str) -> list[tuple[datetime, datetime]]:
    """The shift's (start, end) instants: itself, or its daily repetitions in Cairo time."""
    if s.repeat_days is None:
        if s.weekdays is not None:
            raise bad_input(f"{field}.weekdays", "needs_repeat")
        return [(s.starts_at, s.ends_at)]
    if not 1 <= s.repeat_days <= MAX_REPEAT_DAYS:
        raise bad_input(f"{field}.repeatDays", "repeat_range", max=MAX_REPEAT_DAYS)
    if s.weekdays is not None and (not s.weekdays or not all(1 <= d <= 7 for d in s.weekdays)):
        raise bad_input(f"{field}.weekdays", "weekday_range")
    if s.ends_at - s.starts_at >= timedelta(days=1):
        raise bad_input(f"{field}.endsAt", "repeat_under_a_day")
    start, end = s.starts_at.astimezone(CAIRO), s.ends_at.astimezone(CAIRO)
    template = ShiftTemplate(
        start.time().replace(tzinfo=None),
        end.time().replace(tzinfo=None),
        None if s.weekdays is None else frozenset(s.weekdays),
    )
    spans = expand(template, start.date(), s.repeat_days, CAIRO)
    if not spans:
        raise bad_input(f"{field}.weekdays", "repeat_empty")
    return spans


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
        for starts, ends in _occurrences(s, field):
            shifts.append(
                NewShift(f"sh-{uuid4().hex[:16]}", starts, ends, bool(s.urgent), tuple(needs))
            )
    if len(shifts) > MAX_SHIFTS:  # after the repetitions
        raise bad_input("input.shifts", "too_long", max=MAX_SHIFTS)
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
