"""decideExchange: the lender's coordinator approves or declines lending its volunteer."""

import strawberry
from strawberry.types import Info

from api.errors import forbidden, graph_refusals, not_found
from api.permissions import IsCoordinator
from api.refill import request_refill
from api.types.exchange_request import ExchangeRequest
from graph.exchange import decide_exchange


@strawberry.type
class ExchangeMutation:
    @strawberry.mutation(
        permission_classes=[IsCoordinator], description="By the lender's coordinator."
    )
    async def decide_exchange(
        self, info: Info, id: strawberry.ID, approve: bool
    ) -> ExchangeRequest:
        ctx = info.context
        row = await ctx.loaders.exchange_requests.load(str(id))
        if row is None:
            raise not_found("exchange request")
        if row.get("lender") != ctx.viewer.association:
            raise forbidden()
        async with graph_refusals():
            decision = await decide_exchange(
                ctx.driver, str(id), approve, f"coordinator:{ctx.viewer.sub}"
            )
        if decision.status == "DECLINED":
            await request_refill(ctx, decision.shift_id, [decision.volunteer_id])
        ctx.loaders.clear_all()
        fresh = await ctx.loaders.exchange_requests.load(str(id))
        return ExchangeRequest.from_row(fresh)
