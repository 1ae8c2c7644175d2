"""Queries about volunteers: me, volunteer(id), volunteers(filter)."""

import strawberry
from strawberry.types import Info

from api.errors import bad_input
from api.pagination import key_after, key_cursor, page_size
from api.permissions import IsAuthenticated, IsStaff, IsVolunteer
from api.scope import scoped_association, visible_volunteer
from api.types.assignment_connection import selected_page_key
from api.types.connection import build_connection
from api.types.volunteer import Volunteer
from api.types.volunteer_connection import VolunteerConnection
from api.types.volunteer_filter import VolunteerFilter
from api.validation import known_governorate
from graph.types import VolunteerFilter as GraphVolunteerFilter
from graph.volunteer_assignments import volunteer_with_assignment_page
from graph.volunteers import page_volunteers


@strawberry.type
class VolunteerQuery:
    @strawberry.field(permission_classes=[IsVolunteer], description="The signed-in volunteer.")
    async def me(self, info: Info) -> Volunteer | None:
        me = info.context.viewer.sub
        key = selected_page_key(info, me)
        if key is None:
            row = await info.context.loaders.volunteers.load(me)
            return Volunteer.from_row(row) if row else None
        # `me { assignments(...) }`: the volunteer and that page in one statement; the
        # loaders are primed, so the `assignments` field reads nothing more
        found = await volunteer_with_assignment_page(info.context.driver, me, key.page)
        if found is None:
            return None
        row, page = found
        info.context.loaders.volunteers.prime(me, row)
        info.context.loaders.volunteer_assignments.prime(key, page)
        return Volunteer.from_row(row)

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def volunteer(self, info: Info, id: strawberry.ID) -> Volunteer | None:
        return Volunteer.from_row(await visible_volunteer(info.context, str(id)))

    @strawberry.field(permission_classes=[IsStaff])
    async def volunteers(
        self,
        info: Info,
        filter: VolunteerFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> VolunteerConnection:
        limit = page_size(first)
        after_id = key_after(after)
        f = filter or VolunteerFilter()
        association = scoped_association(
            info.context, str(f.association) if f.association else None
        )
        if f.min_level is not None and not 1 <= f.min_level <= 5:
            raise bad_input("filter.minLevel", "level_range")
        await known_governorate(info.context, "filter.governorate", f.governorate)
        if (f.available_from is None) != (f.available_to is None):
            raise bad_input(
                "filter.availableTo" if f.available_to is None else "filter.availableFrom",
                "required",
            )
        if f.available_from and f.available_to and f.available_to <= f.available_from:
            raise bad_input("filter.availableTo", "end_after_start")
        page_result = await page_volunteers(
            info.context.driver,
            GraphVolunteerFilter(
                governorate=f.governorate,
                skill=f.skill,
                min_level=f.min_level,
                association=association,
                available_from=f.available_from,
                available_to=f.available_to,
                search=f.search,
            ),
            first=limit,
            after=after_id,
        )
        # the page's rows are the loader's rows: prime it instead of reading them again
        rows = page_result.items
        info.context.loaders.volunteers.prime_many({row["id"]: row for row in rows})
        nodes = [Volunteer.from_row(r) for r in rows]
        return build_connection(
            VolunteerConnection,
            nodes,
            [key_cursor(str(n.id)) for n in nodes],
            has_next=page_result.has_next,
            has_previous=after_id is not None,
            total=page_result.total_count,
        )
