"""Fixtures for graph tests on the REAL test Neo4j (bolt 7688). Unreachable => tests fail.

Never wipe the database: every test creates its data under a unique id prefix and deletes
exactly that in teardown.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from uuid import uuid4

import pytest
from neo4j import AsyncDriver

from tests.graph.training_world import World, open_test_driver


@pytest.fixture(scope="session")
async def neo4j_driver() -> AsyncIterator[AsyncDriver]:
    """A driver from get_settings() with the schema and reference data applied (idempotent)."""
    from graph.driver import check_connection, create_driver
    from graph.reference_data import load_reference_data
    from graph.schema import apply_schema

    driver = create_driver()
    try:
        await check_connection(driver)  # raises GraphUnavailable: the test fails, never skips
        await apply_schema(driver)
        await load_reference_data(driver)
        yield driver
    finally:
        await driver.close()


@pytest.fixture
def prefix() -> str:
    """A fresh id namespace for one test's nodes."""
    return f"t-{uuid4().hex[:8]}-"


@pytest.fixture(scope="module")
async def driver() -> AsyncIterator[AsyncDriver]:
    """One driver per module for the training, skill-gap and coordination tests."""
    d = await open_test_driver()
    yield d
    await d.close()


@pytest.fixture
async def world(driver: AsyncDriver) -> AsyncIterator[World]:
    """A fresh hand-built World; deletes exactly what it created. Modules with their own `world` override it."""
    w = World(driver)
    yield w
    await w.cleanup()
