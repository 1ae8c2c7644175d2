"""Subscription root: follow a matching run live (graphql-transport-ws).

The worker announces every state change on the Redis channel `run:{id}`; the subscription
re-reads the run node on each announcement, and also every POLL_S seconds in case an
announcement was missed (Redis restarted, a worker that could not publish).
"""

from collections.abc import AsyncGenerator
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from api.context import Context
from api.errors import forbidden, to_client_error
from api.queries.matching import visible_run
from api.types.matching_run import MatchingRun
from graph.runs import FINISHED, get_run
from workers.jobs import run_channel

POLL_S = 1.0


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def matching_run(
        self, info: Info, id: strawberry.ID
    ) -> AsyncGenerator[MatchingRun, None]:
        """Pushes the run's current state, then each change; ends after SUCCEEDED or FAILED."""
        ctx = info.context
        run_id = str(id)
        pubsub = ctx.redis.pubsub()
        await pubsub.subscribe(run_channel(run_id))
        try:
            run = await _first_state(ctx, run_id)  # subscribed first: no change slips between
            yield MatchingRun.from_row(run)
            last = (run["status"], run.get("progress"))
            while run["status"] not in FINISHED:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=POLL_S)
                while message is not None:  # a burst of announcements costs one re-read
                    message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=0)
                fresh = await get_run(ctx.driver, run_id)
                if fresh is None:
                    return
                run = fresh
                state = (run["status"], run.get("progress"))
                if state != last:
                    last = state
                    yield MatchingRun.from_row(run)
        finally:
            await pubsub.unsubscribe()
            await pubsub.aclose()


async def _first_state(ctx: Context, run_id: str) -> dict[str, Any]:
    """The run if the viewer may follow it; refusals leave as client-safe errors (a
    subscription's errors do not pass through the schema's error extension)."""
    try:
        viewer = ctx.require_viewer()
        if not (viewer.is_admin or viewer.is_coordinator):
            raise forbidden()
        return await visible_run(ctx, run_id)
    except Exception as exc:
        error = GraphQLError(str(exc), original_error=exc, path=["matchingRun"])
        raise to_client_error(error, ctx.language) from None
