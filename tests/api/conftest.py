"""Fixtures for the API tests: the real app under uvicorn, the test Neo4j/Redis, a gql client.

The services must be reachable (tests FAIL, never skip, when they are not).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from gql import Client, GraphQLRequest
from gql.transport.exceptions import TransportQueryError
from gql.transport.httpx import HTTPXAsyncTransport
from neo4j import AsyncDriver, AsyncGraphDatabase

from api.auth import mint_token
from graph.reference_data import load_reference_data
from graph.schema import apply_schema
from graph.settings import Settings
from tests.graph.training_world import World as TrainingWorld
from tests.workers.matching_world import MatchingWorld

from .server import LiveServer
from .world import World

TEST_ENV = {
    "NEO4J_URI": "bolt://127.0.0.1:7688",
    "NEO4J_USER": "neo4j",
    "NEO4J_PASSWORD": "tahaluf-dev-password",
    "REDIS_URL": "redis://127.0.0.1:6380/0",
    "TAHALUF_JWT_SECRET": "test-jwt-secret-not-for-production",
    "TAHALUF_ID_SECRET": "test-id-secret-not-for-production",
}
for _key, _value in TEST_ENV.items():
    os.environ.setdefault(_key, _value)


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def live(settings: Settings, driver: AsyncDriver) -> Iterator[LiveServer]:
    # `driver` first: it applies the schema and reference data the server relies on.
    server = LiveServer(settings).start()
    ready = httpx.get(server.url + "/readyz", timeout=10)
    assert ready.status_code == 200, f"test services are not reachable: {ready.text}"
    yield server
    server.stop()


@pytest.fixture(scope="session")
async def driver(settings: Settings) -> AsyncIterator[AsyncDriver]:
    d = AsyncGraphDatabase.driver(
        settings.neo4j_uri, auth=(settings.neo4j_user, settings.neo4j_password)
    )
    await d.verify_connectivity()
    # A fresh test database (CI's first run) has no schema or reference skills/governorates yet;
    # every world built on it would silently create nothing. Both loads are idempotent.
    await apply_schema(d)
    await load_reference_data(d)
    yield d
    await d.close()


@pytest.fixture
async def world(driver: AsyncDriver) -> AsyncIterator[World]:
    w = World(driver)
    yield w
    await w.cleanup()


@pytest.fixture
async def mworld(driver: AsyncDriver) -> AsyncIterator[MatchingWorld]:
    """The matching world (tests.workers.matching_world): associations, events, volunteers by hand."""
    w = MatchingWorld(driver)
    try:
        yield w
    finally:
        await w.cleanup()


@pytest.fixture
async def tw(driver: AsyncDriver) -> AsyncIterator[TrainingWorld]:
    """The training/report world (tests.graph.training_world): programs, skills, events by hand;
    the session `driver` has already loaded the reference data it builds on."""
    w = TrainingWorld(driver)
    yield w
    await w.cleanup()


@dataclass
class Answer:
    data: dict[str, Any] | None
    errors: list[dict[str, Any]]

    @property
    def codes(self) -> list[str]:
        return [e.get("extensions", {}).get("code") for e in self.errors]

    @property
    def fields(self) -> list[str | None]:
        return [e.get("extensions", {}).get("field") for e in self.errors]


class Api:
    """Calls the live server with a real GraphQL client (gql over httpx)."""

    def __init__(self, url: str, secret: str) -> None:
        self.url = url + "/graphql"
        self.secret = secret

    def token(
        self, role: str, sub: str = "tester", association: str | None = None, hours: float = 1
    ) -> str:
        return mint_token(self.secret, role=role, sub=sub, association=association, hours=hours)

    async def call(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        lang: str | None = None,
        raw_authorization: str | None = None,
    ) -> Answer:
        headers = {}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        if raw_authorization is not None:
            headers["Authorization"] = raw_authorization
        if lang is not None:
            headers["Accept-Language"] = lang
        transport = HTTPXAsyncTransport(url=self.url, headers=headers, timeout=30)
        # A loaded 2-core CI machine can take longer than gql's 10 s default per request.
        async with Client(transport=transport, execute_timeout=60) as session:
            try:
                data = await session.execute(GraphQLRequest(query, variable_values=variables))
                return Answer(data=data, errors=[])
            except TransportQueryError as exc:
                return Answer(data=exc.data, errors=list(exc.errors or []))

    async def as_role(
        self,
        role: str,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        sub: str = "tester",
        association: str | None = None,
        lang: str | None = None,
    ) -> Answer:
        return await self.call(
            query, variables, token=self.token(role, sub, association), lang=lang
        )


@pytest.fixture(scope="session")
def api(live: LiveServer, settings: Settings) -> Api:
    return Api(live.url, settings.jwt_secret)
