"""Mutations about volunteers: registerVolunteer (dedupe by national ID), updateAvailability."""

from uuid import uuid4

import strawberry
from strawberry.types import Info

from api import validation
from api.errors import bad_input, bad_input_text, forbidden, not_found
from api.permissions import IsAdminOrCoordinator, IsVolunteer
from api.types.availability_input import AvailabilityInput
from api.types.register_volunteer_input import RegisterVolunteerInput
from api.types.volunteer import Volunteer
from graph.arabic_normalize import normalize_arabic
from graph.national_id import InvalidNationalId, hash_national_id, parse_national_id
from graph.registration import NewVolunteer, existing_codes, register_volunteer, set_availability


async def _load_volunteer(info: Info, volunteer_id: str) -> Volunteer:
    info.context.loaders.clear_all()
    row = await info.context.loaders.volunteers.load(volunteer_id)
    if row is None:
        raise not_found("volunteer")
    return Volunteer.from_row(row)


@strawberry.type
class VolunteerMutation:
    @strawberry.mutation(
        permission_classes=[IsAdminOrCoordinator],
        description="Existing person (same national ID): adds a membership instead of a second node.",
    )
    async def register_volunteer(self, info: Info, input: RegisterVolunteerInput) -> Volunteer:
        ctx = info.context
        viewer = ctx.require_viewer()
        association = str(input.association)
        if not viewer.is_admin and association != viewer.association:
            raise forbidden()
        try:
            nid = parse_national_id(input.national_id)
        except InvalidNationalId as exc:
            raise bad_input_text("input.nationalId", exc.reason) from None
        name = validation.text("input.name", input.name)
        phone = validation.phone("input.phone", input.phone)
        skills = []
        for i, s in enumerate(input.skills or []):
            skills.append((s.skill, validation.level(f"input.skills[{i}].level", s.level)))
        windows = validation.windows("input.availability", input.availability or [])
        known = await existing_codes(
            ctx.driver,
            skills=[s for s, _ in skills],
            governorates=[input.governorate],
            associations=[association],
        )
        if association not in known["associations"]:
            raise bad_input("input.association", "unknown_association", id=association)
        if input.governorate not in known["governorates"]:
            raise bad_input("input.governorate", "unknown_governorate", code=input.governorate)
        for i, (code, _) in enumerate(skills):
            if code not in known["skills"]:
                raise bad_input(f"input.skills[{i}].skill", "unknown_skill", code=code)
        volunteer_id, _created = await register_volunteer(
            ctx.driver,
            NewVolunteer(
                id=f"v-{uuid4().hex[:16]}",
                national_id_hash=hash_national_id(input.national_id, ctx.settings.id_secret),
                name=name,
                name_norm=normalize_arabic(name),
                gender=nid.gender,
                birth_year=nid.birth_year,
                birth_governorate=nid.birth_governorate,
                phone=phone,
                governorate=input.governorate,
                association=association,
                skills=tuple(skills),
                availability=tuple(windows),
            ),
        )
        return await _load_volunteer(info, volunteer_id)

    @strawberry.mutation(
        permission_classes=[IsVolunteer], description="The signed-in volunteer's weekly windows."
    )
    async def update_availability(
        self, info: Info, availability: list[AvailabilityInput]
    ) -> Volunteer:
        ctx = info.context
        windows = validation.windows("availability", availability)
        if not await set_availability(ctx.driver, ctx.viewer.sub, windows):
            raise not_found("volunteer")
        return await _load_volunteer(info, ctx.viewer.sub)
