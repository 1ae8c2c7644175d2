"""SharingPolicy: whether an association lends volunteers, how many, to whom, with approval."""

from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

if TYPE_CHECKING:
    from api.types.association import Association


@strawberry.type
class SharingPolicy:
    lends: bool
    max_share: float
    requires_approval: bool
    borrower_ids: strawberry.Private[list[str] | None]

    @strawberry.field(description="null = every member association")
    async def borrowers(
        self, info: Info
    ) -> list[Annotated["Association", strawberry.lazy("api.types.association")]] | None:
        if self.borrower_ids is None:
            return None
        from api.types.association import Association

        rows = await info.context.loaders.associations.load_many(self.borrower_ids)
        return [Association.from_row(r) for r in rows if r is not None]
