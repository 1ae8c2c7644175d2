"""Open a session on the configured database and run one managed transaction in it.

The training, skill-gap and coordination modules take the API's/worker's `AsyncDriver`;
these two helpers are the only place they open sessions (the driver retries transient errors,
so every transaction function passed in must be idempotent).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from neo4j import AsyncDriver

from graph.settings import get_settings

T = TypeVar("T")


async def run_read(
    driver: AsyncDriver, tx_fn: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any
) -> T:
    """One managed read transaction on the configured database (retried by the driver)."""
    async with driver.session(database=get_settings().neo4j_database) as session:
        return await session.execute_read(tx_fn, *args, **kwargs)


async def run_write(
    driver: AsyncDriver, tx_fn: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any
) -> T:
    """One managed write transaction on the configured database (retried by the driver)."""
    async with driver.session(database=get_settings().neo4j_database) as session:
        return await session.execute_write(tx_fn, *args, **kwargs)
