"""`tahaluf worker --queue all`: the urgent and the default worker share ONE ctx, so one Neo4j
driver, one solver pool and one candidate index (each index reloads the whole volunteer base
from Neo4j every few minutes: two of them doubled that load beside urgent runs)."""

from __future__ import annotations

import asyncio
from typing import Any

from workers.settings import build_workers, shutdown, startup


async def test_both_queues_get_the_same_ctx():
    workers = build_workers(["urgent", "default"], burst=True, handle_signals=False)
    assert workers[0].ctx is workers[1].ctx
    given: dict[str, Any] = {}
    workers = build_workers(["urgent", "default"], ctx=given, burst=True, handle_signals=False)
    assert workers[0].ctx is given and workers[1].ctx is given  # an empty dict is kept too


async def test_concurrent_startups_open_each_resource_once(arq_redis: Any):
    ctx: dict[str, Any] = {"redis": arq_redis}
    await asyncio.gather(startup(ctx), startup(ctx))
    try:
        assert ctx["_users"] == 2
        assert sorted(ctx["_owned"]) == ["neo4j", "pool", "positions"]  # each opened once
    finally:
        driver, pool = ctx["neo4j"], ctx["pool"]
        await shutdown(ctx)
        assert ctx["neo4j"] is driver  # the first shutdown leaves them to the other worker
        await shutdown(ctx)
        assert "neo4j" not in ctx and "pool" not in ctx and pool is not None
