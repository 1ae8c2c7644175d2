"""Queries about associations (visible to every signed-in user: needed to pick borrowers)."""

import strawberry
from strawberry.types import Info

from api.errors import not_found
from api.permissions import IsAuthenticated
from api.types.association import Association
from graph.associations import association_ids


@strawberry.type
class AssociationQuery:
    @strawberry.field(permission_classes=[IsAuthenticated])
    async def association(self, info: Info, id: strawberry.ID) -> Association | None:
        row = await info.context.loaders.associations.load(str(id))
        if row is None:
            raise not_found("association")
        return Association.from_row(row)

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def associations(self, info: Info) -> list[Association]:
        ids = await association_ids(info.context.driver)
        rows = await info.context.loaders.associations.load_many(ids)
        return [Association.from_row(r) for r in rows if r is not None]
