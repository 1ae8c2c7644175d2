"""Worker fixtures shared by tests/workers and the matching API tests: real Neo4j, real Redis, real arq workers (in-process, burst).

The solver process pool and the Neo4j driver are opened once per session and handed to every
worker through its ctx, as `tahaluf worker --queue all` does for its two workers.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import AsyncIterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest
from arq.connections import ArqRedis, RedisSettings, create_pool

from graph.driver import check_connection, create_driver
from graph.settings import get_settings
from workers.settings import build_worker, close_worker
from workers.solve_process import warm_up


@pytest.fixture(scope="session")
async def neo4j_driver() -> AsyncIterator[Any]:
    driver = create_driver()
    await check_connection(driver)  # fails (not skips) when Neo4j is down
    # A fresh test database has no schema or reference data yet; both loads are idempotent.
    from graph.reference_data import load_reference_data
    from graph.schema import apply_schema

    await apply_schema(driver)
    await load_reference_data(driver)
    yield driver
    await driver.close()


@pytest.fixture(scope="session")
async def arq_redis() -> AsyncIterator[ArqRedis]:
    settings = RedisSettings.from_dsn(get_settings().redis_url)
    settings.conn_retries = 1
    redis = await create_pool(settings)
    await redis.ping()
    yield redis
    await redis.aclose()


@pytest.fixture(scope="session")
async def solver_pool() -> AsyncIterator[ProcessPoolExecutor]:
    pool = ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn"))
    await asyncio.get_running_loop().run_in_executor(pool, warm_up)
    yield pool
    pool.shutdown(wait=True, cancel_futures=True)


@pytest.fixture(scope="session")
def worker_ctx(neo4j_driver: Any, solver_pool: ProcessPoolExecutor, arq_redis: ArqRedis) -> dict[str, Any]:
    """The shared ctx (as startup would build it) — also usable to call job functions directly."""
    return {
        "neo4j": neo4j_driver,
        "pool": solver_pool,
        "redis": arq_redis,
        "redis_url": get_settings().redis_url,
        "replace_pool": lambda: None,
    }


async def drain(ctx: dict[str, Any], *queues: str) -> None:
    """Run burst workers on `queues` (default: both) until they are empty."""
    workers = [
        build_worker(q, ctx=dict(ctx), burst=True, handle_signals=False, cron_jobs=[], poll_delay=0.05)
        for q in (queues or ("default", "urgent"))
    ]
    try:
        await asyncio.gather(*(w.async_run() for w in workers))
    finally:
        for w in workers:
            await close_worker(w)


@pytest.fixture
def run_workers(worker_ctx: dict[str, Any]) -> Any:
    async def _run(*queues: str) -> None:
        await drain(dict(worker_ctx), *queues)

    return _run
