"""exchangeRequests(direction, status): a coordinator's incoming (it lends) or outgoing (it borrows)."""

import strawberry
from strawberry.types import Info

from api.permissions import IsAdminOrCoordinator
from api.types.enums import Direction, ExchangeStatus
from api.types.exchange_request import ExchangeRequest
from graph.exchange_requests import exchange_request_ids


@strawberry.type
class ExchangeQuery:
    @strawberry.field(
        permission_classes=[IsAdminOrCoordinator],
        description="INCOMING: others ask to borrow our volunteers; OUTGOING: we asked. Admins see all.",
    )
    async def exchange_requests(
        self, info: Info, direction: Direction, status: list[ExchangeStatus] | None = None
    ) -> list[ExchangeRequest]:
        viewer = info.context.require_viewer()
        mine = None if viewer.is_admin else viewer.association
        ids = await exchange_request_ids(
            info.context.driver,
            statuses=[s.value for s in status] if status else None,
            borrower=mine if direction == Direction.OUTGOING else None,
            lender=mine if direction == Direction.INCOMING else None,
        )
        rows = await info.context.loaders.exchange_requests.load_many(ids)
        return [ExchangeRequest.from_row(r) for r in rows if r is not None]
