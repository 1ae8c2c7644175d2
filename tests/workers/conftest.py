"""Fixtures for the worker tests: real Neo4j, real Redis, real arq workers (in-process, burst)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.workers.matching_world import MatchingWorld
from tests.workers.worker_fixtures import (  # noqa: F401 - fixtures
    arq_redis,
    neo4j_driver,
    run_workers,
    solver_pool,
    worker_ctx,
)


@pytest.fixture
async def world(neo4j_driver: Any) -> AsyncIterator[MatchingWorld]:  # noqa: F811
    w = MatchingWorld(neo4j_driver)
    try:
        yield w
    finally:
        await w.cleanup()
